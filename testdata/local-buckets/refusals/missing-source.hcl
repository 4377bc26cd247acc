# The source is hashed at plan time, so a missing file is found before anything is made.
# EXPECT-STDERR: local_bucket_object.input (attribute "source"): reading
# EXPECT-STDERR: no-such-file.csv: No such file or directory

resource "local_bucket_object" "input" {
  bucket = "strata-refusal-data"
  key    = "input/a.csv"
  source = "no-such-file.csv"
}
