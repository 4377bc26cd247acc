# A cluster with the Spark SQL Thrift server (crates/strata-cli/tests/spark_sql.rs): one master
# running ZooKeeper, the Spark master and history server, PostgreSQL as the cluster's own Hive
# metastore and the Thrift server (HiveServer2 protocol on port 10000), one core node with a
# Spark worker. `services` is a variable so the test can add and remove SPARK_THRIFT in place.

strata {
  backend "local" {
    path = "strata.state.json"
  }
}

variable "services" {
  type    = list(string)
  default = ["SPARK", "SPARK_THRIFT"]
}

resource "emr_cluster" "sql" {
  name     = "sql"
  release  = "STRATA-1.0.0"
  services = var.services

  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
    count         = 1
  }

  config "spark-defaults.conf" {
    values = { "spark.sql.shuffle.partitions" = "1" }
  }
  # Short ZooKeeper sessions: a restarted Spark master (adding or removing SPARK_THRIFT changes
  # spark-defaults.conf) waits for its old session to expire before it leads.
  config "zoo.cfg" {
    values = { maxSessionTimeout = "6000" }
  }
}

output "cluster" {
  value = {
    id           = emr_cluster.sql.id
    hosts        = emr_cluster.sql.hosts
    key          = emr_cluster.sql.ssh_private_key_path
    sql_jdbc_url = emr_cluster.sql.sql_jdbc_url
    start_order  = emr_cluster.sql.start_order
  }
}
