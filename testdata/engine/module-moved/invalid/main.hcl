# Malformed module moves; each line marks the diagnostic it must produce
# (checked by crates/strata-config/tests/diagnostics_corpus.rs).

module "web" {
  source = "../../module-repetition/modules/web"
  count  = 2
  name   = "web-${count.index}"
}

moved {
  from = module.web.strata_data.x # ERROR: Invalid address
  to   = module.web[0]
}

moved {
  from = module.web
  to   = strata_data.x # ERROR: Invalid address
}

moved {
  from = module.web
  to   = module.web[var.index] # ERROR: Invalid address
}
