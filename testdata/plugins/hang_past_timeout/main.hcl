# A plugin that never answers: the create's timeout cancels the request and fails the
# resource; the independent one is recorded.
# COMMAND: apply --auto-approve
# ENV: STRATA_LOG=1
# EXPECT-EXIT: 1
# EXPECT-STDERR: test_thing.stuck
# EXPECT-STDERR: within 1s
# EXPECT-STDERR: cancelled by the engine
# EXPECT-STATE: test_thing.fine
resource "test_thing" "fine" {
  name = "fine"
}

resource "test_thing" "stuck" {
  name     = "stuck"
  behavior = "hang"

  timeouts {
    create = "1s"
  }
}
