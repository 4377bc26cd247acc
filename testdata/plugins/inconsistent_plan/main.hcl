# A plugin whose plan contradicts the configuration: an error naming provider and attribute.
# COMMAND: plan
# EXPECT-EXIT: 1
# EXPECT-STDERR: Provider produced invalid plan
# EXPECT-STDERR: provider "test"
# EXPECT-STDERR: name
resource "test_thing" "liar" {
  name     = "liar"
  behavior = "inconsistent_plan"
}
