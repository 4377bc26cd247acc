resource "strata_data" "seed" {
  input = 3
}

resource "strata_data" "a" {
  count = strata_data.seed.output # ERROR: Invalid count argument
}
