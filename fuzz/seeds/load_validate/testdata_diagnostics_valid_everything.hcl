# No diagnostics expected: exercises most of the language at once.
variable "names" {
  type    = list(string)
  default = ["a", "b"]
}

variable "cfg" {
  type = object({
    size = number
    tag  = optional(string, "none")
  })
  default = { size = 2 }
}

locals {
  upper_names = [for n in var.names : upper(n)]
  by_name     = { for i, n in var.names : n => i }
  joined      = join("-", local.upper_names)
  text        = <<-EOT
    %{for n in var.names~}
    ${n}
    %{endfor~}
  EOT
  tag         = var.cfg.tag
  cidr        = cidrsubnet("10.0.0.0/16", 8, 2)
  maybe       = try(local.by_name["zzz"], -1)
}

resource "strata_data" "each" {
  for_each = toset(var.names)
  input    = "${each.key}-${local.joined}"
}

resource "strata_data" "counted" {
  count            = length(var.names)
  input            = local.upper_names[count.index]
  triggers_replace = [strata_data.each["a"].id]
}

output "ids" {
  value = strata_data.counted[*].id
}

output "cidr" {
  value = local.cidr
}
