variable "password" {
  type      = string
  default   = "hunter2"
  sensitive = true
}

output "password" {
  value = var.password # ERROR: Output refers to sensitive values
}

output "ok" {
  value     = var.password
  sensitive = true
}
