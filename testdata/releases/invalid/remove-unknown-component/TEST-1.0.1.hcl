# Removing a component the base does not have would change nothing.
# ERROR: TEST-1.0.1.hcl:9:27: `remove_components` names `C`, but `TEST-1.0.0` has no component of that name
# ERROR: hint: the components of `TEST-1.0.0` are: `A`
name     = "TEST-1.0.1"
released = "2026-12"
status   = "current"
notes    = ""
based_on = "TEST-1.0.0"
remove_components = ["A", "C"]
