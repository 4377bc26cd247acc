resource "strata_data" "a" {
  input = strata_data.b.id
}

resource "strata_data" "b" {
  input = strata_data.a.id
  bogus = 1
}

resource "unknown_type" "x" {}

variable "v" {
  type = map(object({ a = string, b = optional(number, 1) }))
  validation {
    condition     = length(var.v) > 0
    error_message = "v must not be empty."
  }
}

output "o" {
  value = var.missing + local.nope
}

locals {
  x = 1 + "a"
  y = [1, 2, 3][5]
  z = { a = 1 }.b
  t = var.v == null ? "a" : "b"
  h = <<-EOT
    hello ${local.x}
    %{ for i in [1, 2] }${i}%{ endfor }
  EOT
}
