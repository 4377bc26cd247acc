# A subnet that cannot hold hosts is refused when the provider is configured.
# EXPECT-STDERR: provider "local": subnet "10.77.0.0/31"

provider "local" {
  subnet = "10.77.0.0/31"
}

resource "local_host" "node" {}
