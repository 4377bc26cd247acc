# Mistakes in a module call's providers map; each line marks the diagnostic it must produce
# (checked by crates/strata-config/tests/diagnostics_corpus.rs).

provider "strata" {
  alias = "other"
}

module "wrong_provider" {
  source = "../module-providers/modules/child"
  label  = "x"
  providers = {
    strata = local.other # ERROR: Invalid providers argument
  }
}

module "missing_alias" {
  source = "../module-providers/modules/child"
  label  = "x"
  providers = {
    strata = strata.nowhere # ERROR: Provider configuration not present
  }
}

module "not_a_map" {
  source    = "../module-providers/modules/child"
  label     = "x"
  providers = "strata.other" # ERROR: Invalid providers argument
}

module "aliased_key" {
  source = "../module-providers/modules/child"
  label  = "x"
  providers = {
    (strata.x) = strata.other # ERROR: Invalid providers argument
  }
}
