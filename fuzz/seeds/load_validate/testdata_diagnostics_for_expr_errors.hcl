locals {
  a = [for x in 5 : x] # ERROR: Iteration over non-iterable value
  b = { for k in ["a", "a"] : k => 1 } # ERROR: Duplicate object key
  c = { for k in ["a", "a"] : k => 1... }
}
