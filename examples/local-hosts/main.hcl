# Three hosts on this machine, each a set of Linux namespaces running its own sshd, reached
# over SSH like cloud instances. Needs root. `strata apply` makes them in well under a second;
# `strata destroy` leaves nothing behind.

variable "hosts" {
  type        = number
  default     = 3
  description = "How many hosts to make."
}

provider "local" {
  subnet = "10.231.7.0/24"
}

resource "local_host" "node" {
  count         = var.hosts
  hostname      = "node-${count.index}"
  instance_type = "local.c1m2" # 1 vCPU, 2 GiB (cgroup v1 limits on this kernel)
}

output "hosts" {
  description = "Hostname, address and SSH host key fingerprint of every host."
  value = {
    for node in local_host.node : node.hostname => {
      ip          = node.private_ip
      fingerprint = node.ssh_host_key_fingerprint
    }
  }
}

output "ssh" {
  description = "How to log in to the first host."
  value       = "ssh -i ${local_host.node[0].ssh_private_key_path} -o StrictHostKeyChecking=no root@${local_host.node[0].private_ip}"
}
