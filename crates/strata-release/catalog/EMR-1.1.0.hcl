# EMR-1.1.0, an E-MapReduce release (from shared/seed: emr-releases.tsv and
# emr-release-components.tsv). Not installable here: its artifacts come from Apache mirrors
# and other project sites on machines that can reach them (docs/releases.md).
name                = "EMR-1.1.0"
released            = "2016-03"
status              = "deprecated"
installable         = false
notes               = "Early version, few features."
component_templates = "emr-components.hcl"

component "HADOOP" {
  version = "2.6.0"
}

component "SPARK" {
  version = "1.6.0"
}

component "HIVE" {
  version = "1.0.1"
}

component "PIG" {
  version = "0.14.0"
}

component "GANGLIA" {
  version = "3.7.2"
}
