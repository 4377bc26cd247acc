variable "size" {
  type = number
}

variable "label" {
  type    = string
  default = "x"
}

output "id" {
  value = "child-${var.size}"
}
