# A nightly batch in one command: `strata apply` makes a Spark cluster, counts the words of
# the day's input (in a bucket) on it, writes the counts back to the bucket and releases the
# cluster, also when the job fails (the apply then exits 1 with the job's error). The bucket
# and the job's record (status, application id, output) stay; the next apply makes a new
# cluster and runs the job again.

strata {
  required_version = ">= 0.1"
  backend "local" {
    path = "strata.state.json"
  }
}

variable "bucket" {
  type        = string
  default     = "nightly-data"
  description = "Name of the bucket holding the input and the results."
}

variable "workers" {
  type    = number
  default = 2
}

# Object storage on this machine: /mnt/buckets/<name>, the same directory on every host.
resource "local_bucket" "data" {
  name          = var.bucket
  force_destroy = true
}

resource "local_bucket_object" "input" {
  bucket = local_bucket.data.name
  key    = "input/words.txt"
  source = "data/words.txt"
}

resource "emr_cluster" "batch" {
  name     = "nightly"
  release  = "STRATA-1.0.1"
  services = ["ZOOKEEPER", "SPARK"]

  node_group "master" {
    role          = "MASTER"
    instance_type = "local.c1m2"
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = "local.c1m2"
    count         = var.workers
  }

  # Released at the end of every apply, whether the jobs succeeded or not.
  lifecycle {
    transient = true
  }
}

# Runs again on every apply: its `cluster` is a new id each time.
resource "emr_job" "wordcount" {
  cluster = emr_cluster.batch.id
  type    = "PYSPARK"
  main    = "jobs/wordcount.py"
  args    = ["${local_bucket.data.path}/input", "${local_bucket.data.path}/output/wordcount"]

  depends_on = [local_bucket_object.input]
}

output "counts" {
  description = "Where the word counts are: part files of `word<TAB>count` lines."
  value       = "${local_bucket.data.path}/output/wordcount"
}

output "wordcount" {
  description = "The job's summary line."
  value       = emr_job.wordcount.output
}
