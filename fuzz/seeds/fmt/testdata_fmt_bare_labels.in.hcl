resource emr_cluster analytics {
  name = "analytics"
}
provider strata {
  region = "local"
}
module "mixed" {
  source = "./mixed"
}
