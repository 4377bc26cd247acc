# Sensitive values stay redacted; multi-line strings; a variable-driven prevent_destroy.
variable "password" {
  type      = string
  default   = "s3cret"
  sensitive = true
}

variable "protect" {
  type    = bool
  default = false
}

resource "strata_data" "credentials" {
  input = { user = "admin", password = var.password }

  lifecycle {
    prevent_destroy = var.protect
  }
}

resource "strata_data" "config_file" {
  input = <<-EOT
    spark.executor.memory 512m
    spark.executor.cores  1
  EOT
}

output "password" {
  value     = var.password
  sensitive = true
}
