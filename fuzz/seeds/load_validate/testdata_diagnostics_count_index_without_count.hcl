resource "strata_data" "a" {
  input = count.index # ERROR: Reference to "count" in non-counted context
}

resource "strata_data" "b" {
  input = each.key # ERROR: Reference to "each" in context without for_each
}
