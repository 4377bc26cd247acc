# Two clusters sharing one Hive metastore (crates/strata-cli/tests/shared_metastore.rs): a
# SPARK_SQL job on "writer" creates a table and inserts rows; a SPARK_SQL job on "reader",
# started after it, selects them. The table's metadata is in the emr_metastore's PostgreSQL,
# its data in the metastore's warehouse, which every host of both clusters sees.

strata {
  backend "local" {
    path = "strata.state.json"
  }
}

locals {
  instance_type = "local.c1m2" # 1 vCPU, 2 GiB
  # One shuffle partition: the tables are three rows.
  sql_conf = { "spark.sql.shuffle.partitions" = "1" }
}

resource "emr_metastore" "shared" {
  name = "shared"
}

resource "emr_cluster" "writer" {
  name      = "writer"
  release   = "STRATA-1.0.0"
  services  = ["ZOOKEEPER", "SPARK"]
  metastore = emr_metastore.shared.id

  node_group "master" {
    role          = "MASTER"
    instance_type = local.instance_type
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = local.instance_type
    count         = 1
  }
}

resource "emr_cluster" "reader" {
  name      = "reader"
  release   = "STRATA-1.0.0"
  services  = ["ZOOKEEPER", "SPARK"]
  metastore = emr_metastore.shared.id

  node_group "master" {
    role          = "MASTER"
    instance_type = local.instance_type
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = local.instance_type
    count         = 1
  }
}

resource "emr_job" "create_table" {
  cluster = emr_cluster.writer.id
  type    = "SPARK_SQL"
  main    = "create.sql"
  conf    = local.sql_conf
}

resource "emr_job" "select_rows" {
  cluster    = emr_cluster.reader.id
  type       = "SPARK_SQL"
  main       = "select.sql"
  conf       = local.sql_conf
  depends_on = [emr_job.create_table]
}

output "rows" {
  description = "What the job on \"reader\" selected: the rows the job on \"writer\" inserted."
  value       = emr_job.select_rows.output
}

output "ids" {
  value = {
    metastore     = emr_metastore.shared.id
    metastore_ip  = emr_metastore.shared.host
    jdbc_url      = emr_metastore.shared.jdbc_url
    warehouse_dir = emr_metastore.shared.warehouse_dir
    writer        = emr_cluster.writer.id
    reader        = emr_cluster.reader.id
    hosts         = concat(emr_cluster.writer.hosts, emr_cluster.reader.hosts)
  }
}
