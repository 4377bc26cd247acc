# EMR-1.2.0, an E-MapReduce release (from shared/seed: emr-releases.tsv and
# emr-release-components.tsv). Not installable here: its artifacts come from Apache mirrors
# and other project sites on machines that can reach them (docs/releases.md).
name                = "EMR-1.2.0"
released            = "2016-04"
status              = "deprecated"
installable         = false
notes               = "Early version, few features."
component_templates = "emr-components.hcl"

component "HADOOP" {
  version = "2.6.0"
}

component "SPARK" {
  version = "1.6.1"
}

component "HIVE" {
  version = "2.0.0"
}

component "PIG" {
  version = "0.14.0"
}

component "HBASE" {
  version = "1.1.1"
}

component "ZOOKEEPER" {
  version = "3.4.6"
}

component "GANGLIA" {
  version = "3.7.2"
}
