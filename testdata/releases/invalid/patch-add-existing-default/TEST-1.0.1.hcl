# add_defaults adds keys the base does not have; changing one is set_defaults.
# ERROR: TEST-1.0.1.hcl:12:22: `add_defaults` adds `a.timeout`, which `a.conf` of `TEST-1.0.0` already has
# ERROR: hint: to change its value, write it in `set_defaults`
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

patch "A" {
  config "a.conf" {
    add_defaults = { "a.timeout" = "5" }
  }
}
