module "gone" {
  source = "./modules/nothing-here" # ERROR: Module not found
}

module "remote" {
  source = "github.com/example/module" # ERROR: Unsupported module source
}
