# An object needs content from somewhere.
# EXPECT-STDERR: local_bucket_object.empty: neither source nor content is set; an object needs exactly one: source (a local file) or content (a string)

resource "local_bucket_object" "empty" {
  bucket = "strata-refusal-data"
  key    = "a.csv"
}
