resource "emr_cluster" "a" {
  name     = "a"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]
  node_group "core" {
    role          = "WORKER" # ERROR: Invalid attribute value
    instance_type = "local.c1m2"
  }
}
