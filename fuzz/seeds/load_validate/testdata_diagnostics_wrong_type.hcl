resource "emr_cluster" "a" {
  name     = "a"
  release  = "STRATA-1.0.0"
  services = "SPARK" # ERROR: Incorrect attribute value type
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
    count         = "three" # ERROR: Incorrect attribute value type
  }
}
