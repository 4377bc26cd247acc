# A small Spark cluster whose release and number of workers are variables
# (crates/strata-cli/tests/release_upgrade.rs): created on STRATA-1.0.0, upgraded in place to
# STRATA-1.0.1 (a patch-level change: fixes only), then scaled in on it.

strata {
  backend "local" {
    path = "strata.state.json"
  }
}

variable "release" {
  type    = string
  default = "STRATA-1.0.0"
}

variable "workers" {
  type    = number
  default = 2
}

resource "emr_cluster" "up" {
  name     = "up"
  release  = var.release
  services = ["ZOOKEEPER", "SPARK"]

  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
    count         = var.workers
  }

  # Short ZooKeeper sessions: a restarted Spark master (the upgrade changes
  # spark-defaults.conf) waits for its old session to expire before it leads.
  config "zoo.cfg" {
    values = { maxSessionTimeout = "6000" }
  }
}

output "cluster" {
  value = {
    id         = emr_cluster.up.id
    hosts      = emr_cluster.up.hosts
    key        = emr_cluster.up.ssh_private_key_path
    master_url = emr_cluster.up.master_ui_url
  }
}
