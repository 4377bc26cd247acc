variable "index" {
  type = number
}

resource "strata_file" "f" {
  path    = "${path.cwd}/web-${var.index}.txt"
  content = "web ${var.index}\n"
}
