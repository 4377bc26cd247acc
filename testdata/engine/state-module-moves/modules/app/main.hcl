variable "name" {
  type = string
}

resource "strata_data" "d" {
  input = var.name
}

module "inner" {
  source = "../inner"
  name   = var.name
}
