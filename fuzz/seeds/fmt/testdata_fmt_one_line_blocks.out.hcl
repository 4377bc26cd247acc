variable "x" { default = 1 }
variable "y" { default = "two" }
variable "z" {}
variable "w" {}
locals {
  a = 1
}
output "o" { value = var.x }
