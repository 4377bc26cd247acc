# A small configuration for the plan exit-code table (crates/strata-cli/tests/exit_codes.rs):
# three files and the value they are made from.

resource "strata_data" "greeting" {
  input = "hello"
}

resource "strata_file" "note" {
  count   = 3
  path    = "${path.module}/files/note-${count.index}.txt"
  content = "${strata_data.greeting.output} ${count.index}\n"
}
