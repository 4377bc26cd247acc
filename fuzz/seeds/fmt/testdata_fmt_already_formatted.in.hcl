# An already formatted file is left exactly as it is.

variable "node_count" {
  type    = number
  default = 3
}

resource "emr_cluster" "analytics" {
  name          = "analytics"
  release_label = "STRATA-1.0.0"

  node_group "core" {
    role  = "CORE"
    count = var.node_count
  }

  tags = {
    Name = "analytics"
    Team = "data"
  }
}
