# An instance type outside the catalog is refused at plan time, naming the attribute and
# listing the catalog.
# EXPECT-STDERR: local_host.big (attribute "instance_type"): unknown instance type "m5.large"; the local catalog has local.c1m1, local.c1m2, local.c1m4, local.c2m2, local.c2m4, local.c2m8, local.c4m8, local.c4m16

resource "local_host" "big" {
  instance_type = "m5.large"
}
