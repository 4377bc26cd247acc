resource "strata_data" "a" {
  id = "fixed" # ERROR: Value for unconfigurable attribute
}
