variable "v" { default = 1 }

resource "strata_data" "a" {}

resource "strata_data" "b" {
  depends_on = [strata_data.a, var.v] # ERROR: Invalid depends_on reference
}

resource "strata_data" "c" {
  depends_on = [strata_data.a.id] # ERROR: Invalid depends_on reference
}
