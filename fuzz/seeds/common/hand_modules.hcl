module "child" {
  source = "./child"
  count  = 2
  name   = "x"
}

module "remote" {
  source = "git::https://example.invalid/x.git"
}

module "up" {
  source = "../"
}

output "child" {
  value = module.child[0].out
}
