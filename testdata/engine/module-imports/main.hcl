# Import into module instances, by crates/strata-cli/tests/module_imports.rs: the files
# web-0.txt and web-1.txt exist before the first apply; module.web[0]'s is adopted by the
# import block below, module.web[1]'s by `strata import 'module.web[1].strata_file.f' PATH`.
# The test appends other import blocks (to module instances the configuration does not have).

module "web" {
  source = "./modules/web"
  count  = 2
  index  = count.index
}

module "db" {
  source   = "./modules/db"
  for_each = toset(["eu"])
  key      = each.key
}

import {
  to = module.web[0].strata_file.f
  id = "${path.cwd}/web-0.txt"
}
