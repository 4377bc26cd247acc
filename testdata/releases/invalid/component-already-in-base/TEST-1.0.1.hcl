# A `component` block in a release based on another adds a component; the base's are patched.
# ERROR: TEST-1.0.1.hcl:10:11: `component "A"` is already a component of `TEST-1.0.0`, which this release is based on
# ERROR: hint: change it with `patch "A" { ... }`, which states only what differs
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

component "A" {
  display_name = "A"
  version      = "2.0"
  roles        = ["MASTER"]
}
