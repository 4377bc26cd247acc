# Container hosts are in the schema but not implemented: the plan says so.
# EXPECT-STDERR: local_host.box (attribute "isolation"): isolation = "container" is not supported yet: local hosts are namespace hosts only

resource "local_host" "box" {
  isolation = "container"
}
