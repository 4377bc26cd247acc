# --exclude naming resource instances, modules and module instances, applied by
# crates/strata-cli/tests/targeting.rs (and read by the unit tests of
# crates/strata-engine/src/targeting.rs): everything is applied with content = "v1", then
# planned with content = "v2" and one --exclude; what is excluded, and what depends on it,
# stays as it is.
#   module.web[N]: strata_data.x ← strata_data.y, and module.inner (strata_data.z) ← x
#   strata_data.names ← module.web (every instance)
#   strata_data.f[N] ← strata_data.g[N] (g depends on the resource f as a whole)

variable "content" {
  type    = string
  default = "v1"
}

module "web" {
  source = "./modules/web"
  count  = 2
  name   = "web-${count.index}-${var.content}"
}

resource "strata_data" "names" {
  input = module.web[*].name
}

resource "strata_data" "f" {
  count = 3
  input = "${var.content} ${count.index}"
}

resource "strata_data" "g" {
  count = 3
  input = "g ${strata_data.f[count.index].output}"
}
