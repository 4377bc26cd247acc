resource "emr_cluster" "a" {
  name     = "a"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
  }
  node_group "core" { # ERROR: Duplicate block
    role          = "CORE"
    instance_type = "local.c1m2"
  }
}
