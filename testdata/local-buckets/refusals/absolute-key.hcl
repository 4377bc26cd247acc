# A key is relative to its bucket.
# EXPECT-STDERR: local_bucket_object.absolute (attribute "key"): invalid object key "/input/a.csv": it is a path relative to the bucket and must not start with '/'

resource "local_bucket_object" "absolute" {
  bucket  = "strata-refusal-data"
  key     = "/input/a.csv"
  content = "x"
}
