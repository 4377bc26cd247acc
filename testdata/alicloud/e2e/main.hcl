# A network, a key pair and three instances on the alicloud provider, applied against the
# emulator by providers/alicloud/tests/strata_e2e.rs (which fills in @ENDPOINT@ and @PUBLIC_KEY@)
# and destroyed again.

provider "alicloud" {
  region   = "cn-hangzhou"
  endpoint = "@ENDPOINT@"
}

resource "alicloud_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  name       = "strata-e2e"
}

resource "alicloud_vswitch" "main" {
  vpc_id     = alicloud_vpc.main.id
  cidr_block = "10.0.1.0/24"
  zone_id    = "cn-hangzhou-h"
}

resource "alicloud_security_group" "cluster" {
  vpc_id = alicloud_vpc.main.id
  name   = "cluster"

  ingress {
    protocol   = "tcp"
    port_range = "22/22"
    cidr_ip    = "0.0.0.0/0"
  }

  ingress {
    protocol = "all"
    cidr_ip  = "10.0.0.0/16"
  }
}

resource "alicloud_key_pair" "cluster" {
  key_name   = "strata-e2e"
  public_key = "@PUBLIC_KEY@"
}

resource "alicloud_instance_group" "workers" {
  instance_count    = 3
  instance_type     = "ecs.g6.large"
  image_id          = "ubuntu_22_04_x64_20G_alibase_20240130.vhd"
  vswitch_id        = alicloud_vswitch.main.id
  security_group_id = alicloud_security_group.cluster.id
  key_name          = alicloud_key_pair.cluster.key_name
}

output "worker_ips" {
  value = alicloud_instance_group.workers.private_ips
}
