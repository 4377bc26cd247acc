# A provider that fails after making its object (test_thing's `fail_partial`, like a job that
# ran and failed): crates/strata-cli/tests/partial_state.rs applies it with these variables.

variable "create_behavior" {
  type    = string
  default = "fail_partial"
}

variable "update_behavior" {
  type    = string
  default = "ok"
}

# Made, then failed: recorded tainted, replaced by the next apply.
resource "test_thing" "job" {
  name     = "job"
  behavior = var.create_behavior
}

# Depends on the failed one: skipped.
resource "test_thing" "after" {
  name = "after-${test_thing.job.id}"
}

# Updated in place; with `fail_partial` the update fails and its object is recorded.
resource "test_thing" "steady" {
  name     = "steady"
  behavior = var.update_behavior
}
