# Isolation is "namespace" (the default) or "container"; anything else is refused at plan time.
# EXPECT-STDERR: "vm" is not a valid value for "isolation"; it must be one of "namespace", "container".

resource "local_host" "box" {
  isolation = "vm"
}
