# A plugin that dies while creating one resource: the engine names the provider and the
# resource, quotes the plugin's last log line, and keeps what completed.
# COMMAND: apply --auto-approve
# EXPECT-EXIT: 1
# EXPECT-STDERR: provider "test" exited unexpectedly (killed by signal 6)
# EXPECT-STDERR: test_thing.boom
# EXPECT-STDERR: test provider: crashing mid-apply as asked
# EXPECT-STATE: test_thing.fine
# EXPECT-NOT-STATE: test_thing.after
resource "test_thing" "fine" {
  name = "fine"
}

resource "test_thing" "boom" {
  name     = "boom"
  behavior = "crash"
  delay_ms = 300
}

resource "test_thing" "after" {
  name = "after-${test_thing.boom.id}"
}
