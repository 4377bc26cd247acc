# Reported in TEST-1.0.2.hcl, whose base closes the loop.
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.2"

patch "A" {
  config "a.conf" {
    set_defaults = { "a.port" = "3" }
  }
}
