# A release based on another is a fix release of the same major.minor, installed in place.
# ERROR: TEST-1.1.0.hcl:8:12: release `TEST-1.1.0` cannot be based on `TEST-1.0.0`, which is not of its release line TEST-1.1.x
# ERROR: hint: a release based on another is a fix release, installed in place of its base: name a release of TEST-1.1.x, or write this release's components in full
name     = "TEST-1.1.0"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

patch "A" {
  config "a.conf" {
    set_defaults = { "a.port" = "3" }
  }
}
