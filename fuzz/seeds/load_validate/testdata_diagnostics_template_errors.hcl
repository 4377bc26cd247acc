locals {
  list = [1, 2]
  s    = "value: ${local.list}x" # ERROR: Invalid template interpolation value
}
