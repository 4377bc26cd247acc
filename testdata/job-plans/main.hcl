# What the plan says about emr_job, and why, planned from state.json without a cluster (a
# job's plan only reads `main`): crates/strata-cli/tests/job_plans.rs snapshots it.

# Not in state: will be created.
resource "emr_job" "new" {
  cluster = "c0123456789ab"
  type    = "PYSPARK"
  main    = "job.py"
}

# Ran and failed (recorded tainted, status FAILED): replaced because it is tainted.
resource "emr_job" "failed" {
  cluster = "c0123456789ab"
  type    = "PYSPARK"
  main    = "job.py"
}

# Its triggers changed ("1" in state): replaced, the triggers line forces it.
resource "emr_job" "triggered" {
  cluster  = "c0123456789ab"
  type     = "PYSPARK"
  main     = "job.py"
  triggers = { version = "2" }
}

# The content of `main` changed since it ran: replaced, main_sha256 forces it.
resource "emr_job" "edited" {
  cluster = "c0123456789ab"
  type    = "PYSPARK"
  main    = "job.py"
}

# Ran, nothing changed: not shown.
resource "emr_job" "done" {
  cluster = "c0123456789ab"
  type    = "PYSPARK"
  main    = "job.py"
}
