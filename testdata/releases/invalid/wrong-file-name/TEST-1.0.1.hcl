# ERROR: TEST-1.0.1.hcl: release `TEST-1.0.0` must live in `TEST-1.0.0.hcl`
name     = "TEST-1.0.0"
released = "2026-11"
status   = "current"
notes    = ""
