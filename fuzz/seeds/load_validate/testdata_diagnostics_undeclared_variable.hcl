variable "workers" { default = 2 }

resource "strata_data" "a" {
  input = var.worker # ERROR: Reference to undeclared input variable
}
