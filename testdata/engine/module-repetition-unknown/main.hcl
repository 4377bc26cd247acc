# A count only planning can judge: the root passes a value known after apply to the module
# "outer", whose call of "web" uses it as count. Planning stops with "Invalid count argument"
# at nested/main.hcl's count (crates/strata-cli/tests/module_repetition.rs).

resource "strata_data" "seed" {
  input = "seed"
}

module "outer" {
  source = "./nested"
  n      = strata_data.seed.id == "" ? 0 : 2
}
