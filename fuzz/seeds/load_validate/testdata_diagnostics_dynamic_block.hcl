variable "groups" {
  default = {
    core = 2
    task = 1
  }
}

resource "emr_cluster" "a" {
  name     = "a"
  release  = "STRATA-1.0.0"
  services = ["SPARK"]
  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
  }
  dynamic "node_group" {
    for_each = var.groups
    labels   = [node_group.key]
    content {
      role          = upper(node_group.key)
      instance_type = "local.c1m2"
      count         = node_group.value
      size          = 1 # ERROR: Unsupported argument
    }
  }
  dynamic "node_groups" { # ERROR: Unsupported block type
    for_each = var.groups
    content {}
  }
}
