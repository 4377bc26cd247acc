locals {
  a = "x" + 1 # ERROR: Invalid operand
  b = true ? 1 : 2
  c = "maybe" ? 1 : 2 # ERROR: Incorrect condition type
  d = 1 / 0 # ERROR: Division by zero
}
