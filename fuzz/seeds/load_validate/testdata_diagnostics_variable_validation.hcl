variable "workers" {
  type    = number
  default = 20

  validation {
    condition     = var.workers <= 8 # ERROR: Invalid value for variable
    error_message = "At most 8 workers fit on one machine."
  }
}
