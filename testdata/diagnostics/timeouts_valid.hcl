# Every resource type takes a timeouts block, handled by the engine: no provider schema
# declares it, and none of these is an error.

resource "strata_data" "all" {
  input = "x"

  timeouts {
    create = "20m"
    update = "1h30m"
    delete = "30s"
    read   = "250ms"
  }
}

resource "strata_file" "some" {
  path    = "/tmp/strata-timeouts"
  content = "hello"

  timeouts {
    create = "2m"
    delete = null
  }

  lifecycle {
    create_before_destroy = true
  }
}

data "strata_file" "read" {
  path = "/etc/hostname"

  timeouts {
    read = "10s"
  }
}

resource "emr_cluster" "c" {
  name     = "c"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]

  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
  }

  timeouts {
    create = "45m"
  }
}
