resource "emr_cluster" "dyn" {
  dynamic "node_group" {
    for_each = var.groups
    iterator = group
    content {
      role          = group.value.role
      instance_type = group.value.type
      dynamic "ebs" {
        for_each = group.value.volumes
        content {
          size_gb     = ebs.value.size
          volume_type = ebs.value.type
          tags = {
            name = "${group.key}-${ebs.key}"
          }
        }
      }
    }
  }
}
