# A create_before_destroy replacement whose destroy of the old object fails:
# crates/strata-cli/tests/deposed.rs checks that the old object is kept in state as deposed
# (never lost), that the next plan destroys it, and that nothing else changes.

variable "generation" {
  type    = string
  default = "1"
}

resource "test_thing" "server" {
  name = "server-${var.generation}"

  lifecycle {
    create_before_destroy = true
  }
}
