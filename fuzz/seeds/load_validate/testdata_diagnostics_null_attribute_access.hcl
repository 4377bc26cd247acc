locals {
  n = null
  m = local.n.field # ERROR: Attempt to get attribute from null value
}
