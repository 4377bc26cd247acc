resource "emr_cluster" "analytics" {
  name    = "analytics"
  release = "STRATA-1.0.0"
  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 1
  }
  config "spark-defaults.conf" {
    values = { "spark.executor.memory" = "512m" }
  }
}
