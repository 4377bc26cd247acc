# A plugin that prints a log line to stdout mid-apply: the connection is dropped with a
# diagnostic that says what it wrote and where logs belong.
# COMMAND: apply --auto-approve
# EXPECT-EXIT: 1
# EXPECT-STDERR: not a plugin protocol frame
# EXPECT-STDERR: DEBUG: applying test_thing
# EXPECT-STDERR: must write its log to stderr
# EXPECT-STDERR: test_thing.noisy
resource "test_thing" "noisy" {
  name     = "noisy"
  behavior = "garbage"
}
