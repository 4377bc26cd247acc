resource "strata_data" "a" {
  for_each = ["a", "b"] # ERROR: Invalid for_each argument
  input    = each.value
}

resource "strata_data" "b" {
  count    = 2 # ERROR: Invalid combination of "count" and "for_each"
  for_each = toset(["a"])
}
