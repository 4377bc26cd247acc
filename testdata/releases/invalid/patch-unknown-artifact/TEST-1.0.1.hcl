# `artifact` replaces an artifact of the base; adding one is `add_artifact`.
# ERROR: TEST-1.0.1.hcl:11:12: `artifact "b"` replaces an artifact, but component `A` of `TEST-1.0.0` has none of that name
# ERROR: hint: to add an artifact, write `add_artifact "b" { ... }`
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

patch "A" {
  artifact "b" {
    kind = "image"
  }
}
