# The module "outer" of ../main.hcl: its call of "web" counts with a variable.

variable "n" {
  type = number
}

module "web" {
  source = "../../module-repetition/modules/web"
  count  = var.n
  name   = "web-${count.index}"
}
