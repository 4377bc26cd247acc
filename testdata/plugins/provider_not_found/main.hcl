# A resource type whose provider is not installed anywhere on the search path.
# COMMAND: validate
# EXPECT-EXIT: 1
# EXPECT-STDERR: Provider not found
# EXPECT-STDERR: strata-provider-nope
# EXPECT-STDERR: .strata/providers
resource "nope_thing" "a" {
  name = "a"
}
