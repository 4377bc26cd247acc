# Two files Strata manages; crates/strata-cli/tests/drift.rs edits one and deletes the other
# behind Strata's back and checks what `strata drift` reports.

resource "strata_file" "edited" {
  path    = "${path.module}/edited.txt"
  content = "as written"
}

resource "strata_file" "deleted" {
  path    = "${path.module}/deleted.txt"
  content = "soon gone"
}

resource "strata_data" "steady" {
  input = "unchanged"
}
