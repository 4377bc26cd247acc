resource "strata_data" "a" {
  count = -1 # ERROR: Invalid count argument
}

resource "strata_data" "b" {
  count = 1.5 # ERROR: Invalid count argument
}

resource "strata_data" "c" {
  count = "two" # ERROR: Invalid count argument
}
