variable "name" {
  type = string
}

resource "strata_file" "f" {
  path    = "${path.cwd}/${var.name}.txt"
  content = var.name
}
