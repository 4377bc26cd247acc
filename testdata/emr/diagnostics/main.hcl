# Clusters the emr provider refuses at plan time, one problem each; every diagnostic points at
# the line that causes it (crates/strata-cli/tests/emr_diagnostics.rs, a snapshot).

resource "emr_cluster" "unknown_release" {
  name     = "a"
  release  = "STRATA-1.0.2" # did you mean STRATA-1.0.1?
  services = ["ZOOKEEPER", "SPARK"]
  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 1
  }
}

resource "emr_cluster" "no_quorum" {
  name     = "b"
  release  = "STRATA-1.0.0"
  services = ["ZOOKEEPER", "SPARK"]
  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 2 # two ZooKeeper servers tolerate no failure
  }
}

resource "emr_cluster" "no_master" {
  name     = "c"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
    count         = 2
  }
}

resource "emr_cluster" "unknown_service" {
  name     = "d"
  release  = "STRATA-1.0.0"
  services = ["SPARK", "HBASE"]
  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 1
  }
}

resource "emr_cluster" "negative_count" {
  name     = "e"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]
  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
    count         = -1
  }
}
