# set_defaults changes keys the base has: a typo must not silently change nothing.
# ERROR: TEST-1.0.1.hcl:14:7: `set_defaults` changes `a.prot`, which `a.conf` of `TEST-1.0.0` does not have
# ERROR: hint: did you mean `a.port`?
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"

patch "A" {
  config "a.conf" {
    set_defaults = {
      "a.port" = "3"
      "a.prot" = "4"
    }
  }
}
