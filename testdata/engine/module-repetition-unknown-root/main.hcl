# A module call whose count is only known after apply: validation stops planning with
# "Invalid count argument" at the count expression (crates/strata-cli/tests/module_repetition.rs).

resource "strata_data" "seed" {
  input = "seed"
}

module "web" {
  source = "../module-repetition/modules/web"
  count  = strata_data.seed.id == "" ? 0 : 2
  name   = "web-${count.index}"
}
