# Every check of validate_release, each broken at least once (`{pid}` is fine in a stop
# command only). Expected problems, exactly:
# PROBLEM: component `lower` needs a display_name and a version
# PROBLEM: component key `lower` is not upper-case letters, digits and `_`
# PROBLEM: component `lower` is installed on no role
# PROBLEM: component `A` requires `NOPE`, which is not another component of the release
# PROBLEM: service `server` is defined twice
# PROBLEM: service `Bad_Name` runs on CORE, where its component `A` is not installed
# PROBLEM: service name `Bad_Name` is not lower-case letters, digits and `-`
# PROBLEM: service `server` depends on `ghost`, which is not another service of the release
# PROBLEM: service `server` reads config file `missing.conf`, which the release does not have
# PROBLEM: the services cannot be ordered: service `server` depends on `ghost`, which release TEST-1.0.0 does not have
# PROBLEM: services `server` and `server` may share a host and both listen on port 80
# PROBLEM: services `server` and `Bad_Name` may share a host and both listen on port 80
# PROBLEM: config file `a.conf` repeats entries for unknown service `ghost`
# PROBLEM: config file `a.conf` has mode `0999`, which is not octal
# PROBLEM: component `A` artifact `tarball`: sha256 is not 64 lower-case hex digits
# PROBLEM: component `A` artifact `nourl`: a archive artifact needs a url
# PROBLEM: component `A` artifact `nourl`: an installable release needs the sha256 of every downloaded artifact
# PROBLEM: component `A` artifact `deb`: a deb artifact needs a package and its version
# PROBLEM: component `A` artifact `os`: an installable release cannot depend on a machine image
# PROBLEM: component `A` downloads artifacts but says nothing about installing them
# PROBLEM: service `server`: unknown placeholder `{hots_ip}` in `{home}/bin/server --bind {hots_ip}`
# PROBLEM: service `server`: unknown placeholder `{pid}` in `echo {pid}`
# PROBLEM: service `server` runs on MASTER, where its component `lower` is not installed
# PROBLEM: services `Bad_Name` and `server` may share a host and both listen on port 80
# PROBLEM: config file `a.conf`: unknown placeholder `{nope_home}` in `{nope_home}/x`
name        = "TEST-1.0.0"
released    = "2026-11"
status      = "current"
installable = true
notes       = "Broken on purpose."

component "A" {
  display_name = "A"
  version      = "1.0"
  home         = "/opt/a"
  roles        = ["MASTER", "TASK"]
  requires     = ["NOPE"]

  artifact "tarball" {
    kind   = "archive"
    url    = "https://example.invalid/a.tar.gz"
    sha256 = "ABCDEF"
  }
  artifact "nourl" {
    kind = "archive"
  }
  artifact "deb" {
    kind   = "deb"
    url    = "https://example.invalid/a.deb"
    sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
  }
  artifact "os" {
    kind = "image"
  }

  service "server" {
    roles        = ["MASTER"]
    start        = "{home}/bin/server --bind {hots_ip}"
    depends_on   = ["ghost"]
    config_files = ["a.conf", "missing.conf"]
    ports        = [80]
    health {
      kind = "tcp"
      port = 80
    }
  }

  service "Bad_Name" {
    roles = ["MASTER", "CORE"]
    start = "true"
    ports = [80]
    health {
      kind = "process"
    }
  }

  config "a.conf" {
    path   = "{nope_home}/x"
    format = "properties"
    mode   = "0999"
    host_entries {
      service = "ghost"
      key     = "server.{index}"
      value   = "{ip}"
    }
  }
}

component "lower" {
  display_name = ""
  version      = ""

  service "server" {
    roles = ["MASTER"]
    start = "echo {pid}"
    stop  = "kill {pid}"
    ports = [80]
    health {
      kind = "process"
    }
  }
}
