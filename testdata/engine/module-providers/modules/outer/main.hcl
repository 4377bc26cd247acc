module "inner" {
  source = "../child"
  label  = "nested"
}
