# Not a valid configuration: plan must exit 1 whatever its flags.

resource "strata_file" "note" {
  path    = "${path.module}/note.txt"
  content = strata_data.missing.output # ERROR: Reference to undeclared resource
}
