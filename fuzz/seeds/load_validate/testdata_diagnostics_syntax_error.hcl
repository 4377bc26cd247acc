resource "strata_data" "a" {
  input = [1, 2
} # ERROR: Invalid HCL syntax
