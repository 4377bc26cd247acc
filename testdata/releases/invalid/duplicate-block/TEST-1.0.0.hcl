# ERROR: TEST-1.0.0.hcl: component "A" > service "server" is written twice
name     = "TEST-1.0.0"
released = "2026-11"
status   = "current"
notes    = ""

component "A" {
  display_name = "A"
  version      = "1"
  roles        = ["MASTER"]

  service "server" {
    roles = ["MASTER"]
    start = "true"
    health {
      kind = "process"
    }
  }
  service "server" {
    roles = ["MASTER"]
    start = "false"
    health {
      kind = "process"
    }
  }
}
