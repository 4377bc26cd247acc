# The base must be a release of the catalog.
# ERROR: TEST-1.0.1.hcl:8:12: `based_on` names `TST-1.0.0`, which is not a release of the catalog
# ERROR: hint: did you mean `TEST-1.0.0`?
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TST-1.0.0"

patch "A" {
  config "a.conf" {
    set_defaults = { "a.port" = "3" }
  }
}
