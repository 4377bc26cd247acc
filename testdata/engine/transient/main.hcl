# A transient "cluster" (a file that exists while it lives), a "job" that depends on it, and a
# result that outlives both: crates/strata-cli/tests/transient.rs applies it, with the job
# succeeding and then failing, and checks that the cluster is released every time.

variable "job_behavior" {
  type    = string
  default = "ok"
}

# The "cluster": a new id every time it is made, and a file on disk while it lives.
resource "strata_data" "cluster" {
  input = "cluster"

  lifecycle {
    transient = true
  }
}

resource "strata_file" "cluster_disk" {
  path    = "${path.module}/cluster.txt"
  content = strata_data.cluster.id

  lifecycle {
    transient = true
  }
}

# Refers to the cluster's id, new every time the cluster is made: the job runs again on every
# apply. Not transient: it stays in state as the record of the last run.
resource "test_thing" "job" {
  name       = "job-on-${strata_data.cluster.id}"
  behavior   = var.job_behavior
  depends_on = [strata_file.cluster_disk]
}

# Not transient: kept across runs.
resource "strata_file" "results" {
  path    = "${path.module}/results.txt"
  content = "kept"
}

output "job" {
  value = test_thing.job.name
}
