variable "key" {
  type = string
}

resource "strata_data" "d" {
  input = var.key
}
