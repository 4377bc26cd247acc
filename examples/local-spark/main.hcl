# A Spark cluster on this machine: one master and var.workers core nodes, running the
# STRATA-1.0.1 release (ZooKeeper 3.8, Spark 4 standalone), and a PySpark job on it.

strata {
  required_version = ">= 0.1"
  backend "local" {
    path = "strata.state.json"
  }
}

variable "workers" {
  type        = number
  default     = 2
  description = "Number of core nodes."

  validation {
    condition     = var.workers >= 1 && var.workers <= 8
    error_message = "workers must be between 1 and 8 on one machine."
  }
}

variable "executor_memory" {
  type    = string
  default = "512m"
}

locals {
  instance_type = "local.c1m2" # 1 vCPU, 2 GiB
}

resource "emr_cluster" "analytics" {
  name     = "analytics"
  release  = "STRATA-1.0.1" # a release = fixed component versions
  services = ["ZOOKEEPER", "SPARK"]

  node_group "master" {
    role          = "MASTER"
    instance_type = local.instance_type
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = local.instance_type
    count         = var.workers
  }
  config "spark-defaults.conf" {
    values = { "spark.executor.memory" = var.executor_memory }
  }
}

resource "emr_job" "pi" {
  cluster = emr_cluster.analytics.id
  type    = "PYSPARK"
  main    = "pi.py"
  args    = ["20"]
}

output "master_ui" {
  value = emr_cluster.analytics.master_ui_url
}

output "pi" {
  description = "The end of the Pi job's driver output (\"Pi is roughly 3.14...\")."
  value       = emr_job.pi.output
}
