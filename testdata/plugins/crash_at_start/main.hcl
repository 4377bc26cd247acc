# A plugin that exits before the handshake: its exit code and last log line are shown.
# COMMAND: validate
# ENV: STRATA_TEST_PROVIDER=crash_at_start
# EXPECT-EXIT: 1
# EXPECT-STDERR: exited unexpectedly (exit code 3)
# EXPECT-STDERR: crashing at start as asked
resource "test_thing" "a" {
  name = "a"
}
