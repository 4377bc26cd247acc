resource "emr_job" "pi" { # ERROR: Missing required argument
  cluster = "c-1"
  type    = "PYSPARK"
}
