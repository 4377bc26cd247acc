# A key is a path inside its bucket: it can never climb out of it.
# EXPECT-STDERR: local_bucket_object.escape (attribute "key"): invalid object key "input/../../etc/passwd": it must not have '.' or '..' segments

resource "local_bucket" "data" {
  name = "strata-refusal-data"
}

resource "local_bucket_object" "escape" {
  bucket  = local_bucket.data.id
  key     = "input/../../etc/passwd"
  content = "x"
}
