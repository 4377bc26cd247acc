# A typo is refused rather than ignored.
# ERROR: TEST-1.0.0.hcl: not valid HCL for a release: unknown field `depend_on`, expected one of `roles`, `start`, `stop`, `environment`, `init`, `post_start`, `depends_on`, `health`, `start_timeout_seconds`, `ports`, `config_files`
name     = "TEST-1.0.0"
released = "2026-11"
status   = "current"
notes    = ""

component "A" {
  display_name = "A"
  version      = "1"
  roles        = ["MASTER"]

  service "server" {
    roles     = ["MASTER"]
    start     = "true"
    depend_on = ["other"]
    health {
      kind = "process"
    }
  }
}
