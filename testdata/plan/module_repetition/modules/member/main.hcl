variable "name" {
  type = string
}

resource "strata_data" "member" {
  input = var.name
}

output "id" {
  value = strata_data.member.id
}

output "name" {
  value = strata_data.member.output
}
