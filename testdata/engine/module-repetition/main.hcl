# Repeated module calls, applied by crates/strata-cli/tests/module_repetition.rs:
# module.web has count (scaled 2 → 3 → 1 with --var web_count=N), module.db has for_each
# over var.regions (a key is removed with --var-file) and calls, in each instance, an
# unrepeated module (a file per region) and a module with count (nested repetition).
# Expected addresses after the first apply:
#   module.web[0].strata_data.x, module.web[1].strata_data.x
#   module.db["eu"].module.inner.strata_file.f, module.db["eu"].module.shard[0].strata_data.s, ...

variable "web_count" {
  type    = number
  default = 2
}

variable "regions" {
  type = map(string)
  default = {
    eu = "eu-west"
    us = "us-east"
  }
}

module "web" {
  source = "./modules/web"
  count  = var.web_count
  name   = "web-${count.index}"
}

module "db" {
  source     = "./modules/db"
  for_each   = var.regions
  key        = each.key
  region     = each.value
  depends_on = [module.web]
}

output "web_names" {
  value = module.web[*].name
}

output "db_files" {
  value = { for key, db in module.db : key => db.file }
}

output "shards" {
  value = flatten([for db in module.db : db.shards])
}
