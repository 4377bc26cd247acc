# A plugin of another protocol version: refused at the handshake, both versions named.
# COMMAND: validate
# ENV: STRATA_TEST_PROVIDER=wrong_protocol
# EXPECT-EXIT: 1
# EXPECT-STDERR: provider "test" speaks plugin protocol version 99; this Strata speaks version 1
resource "test_thing" "a" {
  name = "a"
}
