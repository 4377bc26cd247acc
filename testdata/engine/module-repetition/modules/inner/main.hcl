variable "path" {
  type = string
}

variable "content" {
  type = string
}

resource "strata_file" "f" {
  path    = var.path
  content = "${var.content}\n"
}

output "path" {
  value = strata_file.f.path
}
