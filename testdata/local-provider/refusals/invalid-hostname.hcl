# Hostnames follow RFC 1123.
# EXPECT-STDERR: local_host.web (attribute "hostname"): invalid hostname "web_1"

resource "local_host" "web" {
  hostname = "web_1"
}
