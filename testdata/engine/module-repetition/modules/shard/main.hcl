variable "label" {
  type = string
}

resource "strata_data" "s" {
  input = var.label
}

output "label" {
  value = strata_data.s.output
}
