# Provider configurations passed to modules, applied by
# crates/strata-cli/tests/module_repetition.rs: the objects of module.mapped (each of its
# instances) and of module.nested (two calls down, the inner call passing nothing, so the
# default configuration it inherits is the one module.nested was given) are made by
# provider.strata.other; those of module.plain by the default provider.strata.

provider "strata" {
  alias = "other"
}

module "mapped" {
  source = "./modules/child"
  count  = 2
  label  = "mapped-${count.index}"
  providers = {
    strata = strata.other
  }
}

module "plain" {
  source = "./modules/child"
  label  = "plain"
}

module "nested" {
  source = "./modules/outer"
  providers = {
    strata = strata.other
  }
}
