# Leading hash comment
// Leading slash comment
/* Leading block comment */

resource "emr_cluster" "c" { # after the header
  # inside, over-indented
  name          = "c"            # trailing hash
  release_label = "STRATA-1.0.0" // trailing slashes
  /* block comment
         spanning lines keeps its inner layout */
  count = /* inline */ 3
  tags = {
    owner     = "data"     # who
    team_name = "platform" # which team
  }
  // closing remark
}
# final comment
