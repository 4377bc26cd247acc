provider "local" {
  subnet = "10.77.0.0/24"
}

resource "local_host" "h" {
  provider = local.second # ERROR: Provider configuration not present
}
