# Two configurations of one provider: the default and `local.archive`, each with its own
# bucket root. crates/strata-cli/tests/provider_aliases.rs applies it and finds each bucket
# under the root of the configuration its resource names.

provider "local" {
  bucket_root = "hot"
  state_dir   = "state"
}

provider "local" {
  alias       = "archive"
  bucket_root = "cold"
  state_dir   = "state"
}

resource "local_bucket" "today" {
  name          = "alias-today"
  force_destroy = true
}

resource "local_bucket" "archive" {
  provider      = local.archive
  name          = "alias-archive"
  force_destroy = true
}

resource "local_bucket_object" "report" {
  provider = local.archive
  bucket   = local_bucket.archive.name
  key      = "2026/report.txt"
  content  = "archived"
}
