resource "emr_cluster" "a" {
  name     = "a"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]
  relase   = "x" # ERROR: Unsupported argument
  node_group "master" {
    role           = "MASTER"
    instanse_type  = "local.c1m2" # ERROR: Unsupported argument
    instance_type  = "local.c1m2"
  }
}
