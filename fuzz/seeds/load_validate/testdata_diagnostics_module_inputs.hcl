module "child" { # ERROR: Missing required argument
  source = "./modules/child"
  sise   = 3 # ERROR: Unsupported argument
}
