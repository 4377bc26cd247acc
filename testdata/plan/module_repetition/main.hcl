module "pool" {
  source = "./modules/member"
  count  = 2
  name   = "pool-${count.index}"
}

module "zone" {
  source   = "./modules/member"
  for_each = { a = "zone-a", b = "zone-b" }
  name     = each.value
}

output "pool_ids" {
  value = module.pool[*].id
}

output "zone_names" {
  value = { for key, zone in module.zone : key => zone.name }
}
