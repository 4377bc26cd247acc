# A typo in a config file's name must not silently change nothing.
# ERROR: TEST-1.0.1.hcl:11:10: `config "a.cfg"` changes a config file, but component `A` of `TEST-1.0.0` has none of that name
# ERROR: hint: did you mean `a.conf`?
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

patch "A" {
  config "a.cfg" {
    set_defaults = { "a.port" = "3" }
  }
}
