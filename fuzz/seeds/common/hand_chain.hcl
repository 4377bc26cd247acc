variable "n" {
  type    = number
  default = 3
}

variable "names" {
  type      = list(string)
  default   = ["a", "b"]
  sensitive = true
}

locals {
  prefix = "r-${var.n}"
  tags   = { for i, name in var.names : name => i if i < var.n }
  all    = [for s in var.names : upper(s)]
}

resource "strata_data" "first" {
  input = { i = 0, name = local.prefix }
}

resource "strata_data" "second" {
  count            = var.n
  input            = { i = count.index, tags = local.tags }
  triggers_replace = [strata_data.first.id]

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [input]
  }
}

resource "strata_data" "each" {
  for_each   = toset(var.names)
  input      = each.value
  depends_on = [strata_data.second]
}

output "ids" {
  value     = strata_data.second[*].id
  sensitive = false
}

output "first" {
  value       = strata_data.first.output
  description = "The first value."
}
