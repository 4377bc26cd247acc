# An optional+computed argument left unset (test_zoned's zone), by
# crates/strata-cli/tests/optional_computed.rs: the engine sends it to the provider as null, as
# Terraform does, so the provider picks it on create ("zone-a"), a second plan has no changes,
# an update of another argument keeps the zone, and setting it changes it.

variable "name" {
  type    = string
  default = "one"
}

variable "zone" {
  type    = string
  default = null
}

resource "test_zoned" "z" {
  name = var.name
  zone = var.zone
}
