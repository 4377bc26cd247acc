# A typo in a service's name must not silently change nothing.
# ERROR: TEST-1.0.1.hcl:11:22: `remove_services` names `a-server`, but component `A` of `TEST-1.0.0` has no service of that name
# ERROR: hint: did you mean `server`?
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

patch "A" {
  remove_services = ["a-server"]
}
