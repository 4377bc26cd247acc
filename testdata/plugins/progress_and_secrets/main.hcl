# Progress notifications reach the display; a sensitive argument never shows, in the plan,
# the progress lines, or the provider log.
# COMMAND: apply --auto-approve
# ENV: STRATA_LOG=1
# EXPECT-EXIT: 0
# EXPECT-STDERR: test_thing.a: hosts installed (2/3)
# EXPECT-STDOUT: secret   = (sensitive value)
# EXPECT-ABSENT: hunter2
# EXPECT-NOT-IN-STATE: hunter2
# EXPECT-STATE: test_thing.a
# EXPECT-STATE: test_thing.b
resource "test_thing" "a" {
  name     = "a"
  behavior = "progress"
  secret   = "hunter2"
}

resource "test_thing" "b" {
  name = "b-${test_thing.a.id}"
}
