resource "emr_cluster" "main" {
name = "main"
node_group "core" {
role = "CORE"
ebs {
size_gb = 64
volume_type = "gp3"
  }
      }
    lifecycle {
  prevent_destroy = true
}
}
