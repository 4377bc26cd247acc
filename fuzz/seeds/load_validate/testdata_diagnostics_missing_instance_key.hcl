resource "strata_data" "a" {
  count = 2
}

resource "strata_data" "b" {}

output "x" {
  value = strata_data.a.id # ERROR: Missing resource instance key
}

output "y" {
  value = strata_data.b[0].id # ERROR: Unexpected resource instance key
}
