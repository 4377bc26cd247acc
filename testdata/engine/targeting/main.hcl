# Three files from one resource with count: crates/strata-cli/tests/targeting.rs changes their
# content and applies with --target naming one instance; only that one may change.

variable "content" {
  type    = string
  default = "v1"
}

resource "strata_file" "f" {
  count   = 3
  path    = "${path.module}/f-${count.index}.txt"
  content = "${var.content} ${count.index}"
}
