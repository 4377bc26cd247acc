# STRATA-1.0.1: a fix release of STRATA-1.0.0 (same line, same a.b: fully compatible, so a
# cluster on STRATA-1.0.0 takes it in place, host by host). Its components, versions, artifacts
# (with their sha256), install commands and services are STRATA-1.0.0's, taken from that file
# by `based_on`: nothing new is downloaded. What changes are two fixes, four defaults of
# spark-defaults.conf (see `notes` and the `patch` below); zoo.cfg, spark-env.sh and the
# PostgreSQL and Thrift server files are unchanged, so ZooKeeper, PostgreSQL and their readers
# do not restart on the upgrade. STRATA-1.0.0.hcl's header (no Hadoop HDFS/YARN, `{shared_dir}`)
# holds for this release too.
name        = "STRATA-1.0.1"
based_on    = "STRATA-1.0.0"
released    = "2026-11"
status      = "current"
installable = true
notes       = "Fixes of STRATA-1.0.0; its components, versions and artifacts are STRATA-1.0.0's (ZooKeeper 3.8.0, Spark 4.3.0, PostgreSQL 15.18, the PostgreSQL JDBC driver 42.5.5, the Spark SQL Thrift server 4.3.0). Fixed: (1) the history server never deleted event logs, so {shared_dir}/spark-events grew without bound: spark.history.fs.cleaner.enabled = true, logs older than 7 days (spark.history.fs.cleaner.maxAge) are removed daily; (2) scaling in killed the removed workers, losing their running executors and cached blocks (the master listed them DEAD): spark.decommission.enabled and spark.storage.decommission.enabled = true, so a removed worker is decommissioned first (the master marks it DECOMMISSIONED, schedules nothing more on it, and its executors' blocks migrate). Only spark-defaults.conf changes: an upgrade from STRATA-1.0.0 restarts the Spark daemons, not ZooKeeper."
description = "ZooKeeper, Spark standalone with a history server, and ad-hoc SQL through the Spark Thrift server over a PostgreSQL metastore."

patch "SPARK" {
  config "spark-defaults.conf" {
    add_defaults = {
      # Event logs are cleaned (Spark's default keeps them forever).
      "spark.history.fs.cleaner.enabled" = "true"
      "spark.history.fs.cleaner.maxAge"  = "7d"
      # Workers removed by a scale in are decommissioned, not killed.
      "spark.decommission.enabled"         = "true"
      "spark.storage.decommission.enabled" = "true"
    }
  }
}
