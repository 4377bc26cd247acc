# Two container hosts (a root file system of their own, systemd-nspawn) and a namespace host in
# one network, on a subnet and state directory of the test's own
# (crates/strata-cli/tests/local_containers.rs fills in @SUBNET@, @STATE_DIR@ and @ISOLATION@).

provider "local" {
  subnet    = "@SUBNET@"
  state_dir = "@STATE_DIR@"
}

resource "local_host" "box" {
  count         = 2
  hostname      = "box-${count.index}"
  instance_type = "local.c1m1"
  isolation     = "container"
}

resource "local_host" "plain" {
  hostname  = "plain"
  isolation = "@ISOLATION@"
}

output "hosts" {
  value = [for host in concat(local_host.box, [local_host.plain]) : {
    id          = host.id
    hostname    = host.hostname
    isolation   = host.isolation
    ip          = host.private_ip
    fingerprint = host.ssh_host_key_fingerprint
    user        = host.ssh_user
    port        = host.ssh_port
    key         = host.ssh_private_key_path
    network     = host.network
    status      = host.status
  }]
}
