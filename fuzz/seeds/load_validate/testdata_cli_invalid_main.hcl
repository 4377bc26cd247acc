variable "workers" {
  type    = number
  default = 2
}

resource "emr_cluster" "analytics" {
  name     = "analytics"
  release  = "STRATA-1.0.0"
  services = ["ZOOKEEPER", "SPARK"]

  node_group "master" {
    role          = "MASTER"
    instanse_type = "local.c1m2"
    count         = 1
  }
}

resource "emr_job" "pi" {
  cluster = emr_cluster.analytic.id
  type    = "PYSPARK"
  main    = "pi.py"
  args    = [var.worker]
}
