# Bucket names follow OSS and S3: lowercase letters, digits and hyphens.
# EXPECT-STDERR: local_bucket.data (attribute "name"): invalid bucket name "Data_2026": it may hold only lowercase letters (a-z), digits (0-9) and '-'

resource "local_bucket" "data" {
  name = "Data_2026"
}
