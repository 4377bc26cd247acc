# The call of ../before/main.hcl with count = 2: the existing object moves to
# module.web[0] (no destroy, no create), module.web[1] is new.

module "web" {
  source = "../../module-repetition/modules/web"
  count  = 2
  name   = "web-${count.index}"
}

moved {
  from = module.web
  to   = module.web[0]
}
