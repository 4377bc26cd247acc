module "child" {
  source = "./modules/child"
  size   = 3
}

output "a" {
  value = module.child.identifier # ERROR: Unsupported attribute
}

output "b" {
  value = module.kid.id # ERROR: Reference to undeclared module
}
