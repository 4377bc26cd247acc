variable "workers" {
  type    = number
  default = "many" # ERROR: Incorrect value type
}

variable "sizes" {
  type = lisst(string) # ERROR: Invalid type specification
}
