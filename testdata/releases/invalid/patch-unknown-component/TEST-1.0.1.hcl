# A patch of a component the base does not have would change nothing.
# ERROR: TEST-1.0.1.hcl:10:7: `patch "B"` changes a component, but `TEST-1.0.0` has none of that name
# ERROR: hint: a component the base does not have is written in full: `component "B" { ... }`
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

patch "B" {
  version = "2.0"
}
