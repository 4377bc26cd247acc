variable "size" {
  type = number
}

resource "strata_data" "member" {
  count = var.size
  input = "member-${count.index}"
}

output "ids" {
  value = strata_data.member[*].id
}
