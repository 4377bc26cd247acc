# One module call without count (crates/strata-cli/tests/module_repetition.rs applies this,
# then ../after/main.hcl, which adds count and a moved block).

module "web" {
  source = "../../module-repetition/modules/web"
  name   = "web-0"
}
