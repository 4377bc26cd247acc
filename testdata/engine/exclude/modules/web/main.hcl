variable "name" {
  type = string
}

resource "strata_data" "x" {
  input = var.name
}

resource "strata_data" "y" {
  input = "y ${strata_data.x.output}"
}

module "inner" {
  source = "../inner"
  label  = strata_data.x.output
}

output "name" {
  value = strata_data.y.output
}
