locals {
  list = ["a"]
  map  = { a = 1 }
  x    = local.list[3] # ERROR: Invalid index
  y    = local.map["b"] # ERROR: Invalid index
}
