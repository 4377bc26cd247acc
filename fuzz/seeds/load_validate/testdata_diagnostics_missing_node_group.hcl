resource "emr_cluster" "a" { # ERROR: Insufficient blocks
  name     = "a"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]
}
