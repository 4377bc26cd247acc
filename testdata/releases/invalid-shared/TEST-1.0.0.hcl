# The release the based_on cases of ../invalid/ build on (added to a case that has no TEST-1.0.0.hcl of its own); valid.
name     = "TEST-1.0.0"
released = "2026-11"
status   = "superseded"
notes    = ""

component "A" {
  display_name = "A"
  version      = "1.0"
  roles        = ["MASTER"]

  artifact "a" {
    kind = "image"
  }

  service "server" {
    roles        = ["MASTER"]
    start        = "true"
    config_files = ["a.conf"]
    health {
      kind = "process"
    }
  }

  config "a.conf" {
    path   = "/etc/a.conf"
    format = "key-value"
    defaults = {
      "a.port"    = "1"
      "a.timeout" = "2"
    }
  }
}
