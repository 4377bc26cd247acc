# ERROR: TEST-1.0.0.hcl: component `A` service `server`: unknown role `MASTERS` (roles are MASTER, CORE, TASK, GATEWAY); did you mean `MASTER`?
name     = "TEST-1.0.0"
released = "2026-11"
status   = "current"
notes    = ""

component "A" {
  display_name = "A"
  version      = "1"
  roles        = ["MASTER"]

  service "server" {
    roles = ["MASTERS"]
    start = "true"
    health {
      kind = "process"
    }
  }
}
