# EMR-3.0.1, an E-MapReduce release (from shared/seed: emr-releases.tsv and
# emr-release-components.tsv). Not installable here: its artifacts come from Apache mirrors
# and other project sites on machines that can reach them (docs/releases.md).
name                = "EMR-3.0.1"
released            = "2017-03"
status              = "current"
installable         = false
notes               = "Interactive workbench; unified table management with an external shared Hive metastore database (all clusters using the external metastore share one set of metadata); emr-core 1.2.4 with faster OSS reads/writes; Spark 2.0.2."
component_templates = "emr-components.hcl"

component "HADOOP" {
  version          = "2.7.2-emr-1.2.4"
  upstream_version = "2.7.2"
}

component "SPARK" {
  version = "2.0.2"
}

component "HUE" {
  version = "3.11.0"
}

component "ZEPPELIN" {
  version = "0.6.2"
}

component "OS" {
  version = "CentOS 6.5"
}

component "HIVE" {
  version = "2.0.1"
}

component "PIG" {
  version = "0.14.0"
}

component "SQOOP" {
  version = "1.4.6"
}

component "HBASE" {
  version = "1.1.1"
}

component "PHOENIX" {
  version = "4.7.0"
}

component "ZOOKEEPER" {
  version = "3.4.6"
}

component "GANGLIA" {
  version = "3.7.2"
}

component "PRESTO" {
  version = "0.147"
}

component "STORM" {
  version = "1.0.1"
}

component "OOZIE" {
  version = "4.2.0"
}

component "TEZ" {
  version = "0.8.4"
}
