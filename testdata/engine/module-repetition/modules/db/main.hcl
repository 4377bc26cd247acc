variable "key" {
  type = string
}

variable "region" {
  type = string
}

module "inner" {
  source  = "../inner"
  path    = "db-${var.key}.txt"
  content = var.region
}

module "shard" {
  source = "../shard"
  count  = 2
  label  = "${var.key}-${count.index}"
}

output "file" {
  value = module.inner.path
}

output "shards" {
  value = module.shard[*].label
}
