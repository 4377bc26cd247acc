# A patch needs a base.
# ERROR: TEST-1.0.1.hcl:9:7: `patch "A"` changes a base release, but this file has no `based_on`
# ERROR: hint: name the release it changes, `based_on = "TEST-1.0.0"`, or write the component in full with `component "A" { ... }`
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""

patch "A" {
  config "a.conf" {
    set_defaults = { "a.port" = "3" }
  }
}
