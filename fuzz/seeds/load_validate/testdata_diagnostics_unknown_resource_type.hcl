resource "emr_clustr" "a" { # ERROR: Invalid resource type
}
