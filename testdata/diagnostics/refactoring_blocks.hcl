resource "strata_data" "a" {}

import { # ERROR: Configuration for import target does not exist
  to = strata_data.missing
  id = "x"
}

moved {
  from = strata_data.old
  to   = var.nope # ERROR: Invalid address
}

check "c" {
  assert {
    condition     = local.nothing # ERROR: Reference to undeclared local value
    error_message = "x"
  }
}

check "empty" { # ERROR: Missing assert block
}
