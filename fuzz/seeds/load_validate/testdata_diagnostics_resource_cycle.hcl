resource "strata_data" "a" { # ERROR: Cycle in references
  input = strata_data.b.id
}

resource "strata_data" "b" {
  input = strata_data.a.id
}
