# A bucket name has 3 to 63 characters.
# EXPECT-STDERR: local_bucket.data (attribute "name"): invalid bucket name "ab": it must be 3 to 63 characters long

resource "local_bucket" "data" {
  name = "ab"
}
