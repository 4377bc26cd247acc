# The shortest loop.
# ERROR: TEST-1.0.1.hcl:8:12: releases are based on each other in a loop: TEST-1.0.1 -> TEST-1.0.1
# ERROR: hint: one release of the loop must state its components in full instead of `based_on`
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.1"

patch "A" {
  config "a.conf" {
    set_defaults = { "a.port" = "3" }
  }
}
