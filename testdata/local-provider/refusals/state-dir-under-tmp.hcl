# Host data never lives under /tmp; the provider block is refused before any host is made.
# EXPECT-STDERR: Failed to configure provider
# EXPECT-STDERR: provider "local": state_dir state directory /tmp/strata-hosts: it must not be under /tmp or /var/tmp

provider "local" {
  state_dir = "/tmp/strata-hosts"
}

resource "local_host" "node" {}
