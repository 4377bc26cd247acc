module "group" {
  source = "./modules/group"
  size   = 2
}

resource "strata_data" "summary" {
  input = length(module.group.ids)
}

output "count" {
  value = strata_data.summary.input
}
