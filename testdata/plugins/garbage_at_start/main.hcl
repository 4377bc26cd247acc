# A plugin that prints a banner on stdout before the handshake.
# COMMAND: validate
# ENV: STRATA_TEST_PROVIDER=garbage_at_start
# EXPECT-EXIT: 1
# EXPECT-STDERR: Failed to start provider
# EXPECT-STDERR: Starting test provider v0.0.1
resource "test_thing" "a" {
  name = "a"
}
