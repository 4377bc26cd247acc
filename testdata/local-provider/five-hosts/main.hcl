# Five namespace hosts with names, and one with every default, on a subnet and state
# directory of the test's own (crates/strata-cli/tests/local_hosts.rs fills in @SUBNET@ and
# @STATE_DIR@).

provider "local" {
  subnet    = "@SUBNET@"
  state_dir = "@STATE_DIR@"
}

resource "local_host" "node" {
  count         = 5
  hostname      = "node-${count.index}"
  instance_type = "local.c1m1"
}

resource "local_host" "plain" {}

output "plain" {
  value = {
    id            = local_host.plain.id
    hostname      = local_host.plain.hostname
    instance_type = local_host.plain.instance_type
    memory_mib    = local_host.plain.memory_mib
  }
}

output "hosts" {
  value = [for host in local_host.node : {
    id          = host.id
    hostname    = host.hostname
    ip          = host.private_ip
    fingerprint = host.ssh_host_key_fingerprint
    user        = host.ssh_user
    port        = host.ssh_port
    key         = host.ssh_private_key_path
    network     = host.network
    status      = host.status
  }]
}
