variable "label" {
  type = string
}

resource "strata_data" "z" {
  input = "z ${var.label}"
}
