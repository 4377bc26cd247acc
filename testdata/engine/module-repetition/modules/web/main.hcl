variable "name" {
  type = string
}

resource "strata_data" "x" {
  input = var.name
}

output "name" {
  value = strata_data.x.output
}
