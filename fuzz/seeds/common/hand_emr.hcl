strata {
  required_version = ">= 0.1"
}

provider "emr" {
  region = "local"
}

resource "emr_cluster" "c" {
  name    = "c"
  release = "STRATA-1.0.0"
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
    count         = 2
  }
  dynamic "config" {
    for_each = { a = 1 }
    content {
      values = { k = config.value }
    }
  }
  timeouts {
    create = "20m"
  }
}

resource "emr_job" "j" {
  cluster = emr_cluster.c.id
  type    = "PYSPARK"
  main    = "pi.py"
  args    = ["10"]
}

resource "local_file" "f" {
  path    = "${path.module}/out.txt"
  content = jsonencode({ a = emr_job.j.status, b = try(emr_job.j.exit_code, 0) })
}
