# An object comes from a local file or from a string, not both.
# EXPECT-STDERR: local_bucket_object.both (attribute "content"): source and content are both set; an object has exactly one: source (a local file) or content (a string)

resource "local_bucket_object" "both" {
  bucket  = "strata-refusal-data"
  key     = "a.csv"
  source  = "a.csv"
  content = "x"
}
