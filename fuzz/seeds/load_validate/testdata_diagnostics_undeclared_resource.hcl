resource "strata_data" "a" {}

resource "strata_data" "b" {
  input = strata_data.c.id # ERROR: Reference to undeclared resource
}

output "x" {
  value = emr_cluster.analytics.id # ERROR: Reference to undeclared resource
}
