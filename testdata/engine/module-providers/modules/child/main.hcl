variable "label" {
  type = string
}

resource "strata_data" "d" {
  input = var.label
}
