# EMR-2.3.0, an E-MapReduce release (from shared/seed: emr-releases.tsv and
# emr-release-components.tsv). Not installable here: its artifacts come from Apache mirrors
# and other project sites on machines that can reach them (docs/releases.md).
name                = "EMR-2.3.0"
released            = "2016-12"
status              = "not-recommended"
installable         = false
notes               = "Early version, in maintenance; interactive, no table management."
component_templates = "emr-components.hcl"

component "HADOOP" {
  version          = "2.7.2-emr-1.2.1"
  upstream_version = "2.7.2"
}

component "SPARK" {
  version = "1.6.2"
}

component "HIVE" {
  version = "2.0.0"
}

component "PIG" {
  version = "0.14.0"
}

component "SQOOP" {
  version = "1.4.6"
}

component "HUE" {
  version           = "3.12.0"
  version_uncertain = true # the seed lists four Hue versions for ten 2.x releases: a guess
}

component "ZEPPELIN" {
  version = "0.6.0"
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

component "OS" {
  version = "CentOS 6.5"
}
