# A plugin whose apply result contradicts its plan: an error naming provider and attribute.
# COMMAND: apply --auto-approve
# EXPECT-EXIT: 1
# EXPECT-STDERR: Provider produced inconsistent result after apply
# EXPECT-STDERR: provider "test"
# EXPECT-STDERR: "name"
# EXPECT-STATE: test_thing.fine
resource "test_thing" "fine" {
  name = "fine"
}

resource "test_thing" "liar" {
  name     = "liar"
  behavior = "inconsistent_apply"
}
