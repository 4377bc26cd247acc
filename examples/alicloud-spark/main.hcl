# examples/local-spark on Alibaba Cloud ECS: the same cluster block (ZooKeeper 3.8 and Spark 4
# standalone of release STRATA-1.0.1, one master and var.workers core nodes, the PySpark job),
# with the resource type and instance types changed and the network it runs in: a VPC, a
# vSwitch, a security group and a key pair. `endpoint` points it at the emulator (README.md).

strata {
  required_version = ">= 0.1"
  backend "local" {
    path = "strata.state.json"
  }
}

variable "workers" {
  type        = number
  default     = 2
  description = "Number of core nodes."
}

variable "executor_memory" {
  type    = string
  default = "512m"
}

variable "endpoint" {
  type        = string
  default     = null
  description = "The API endpoint: null for Alibaba Cloud's, http://127.0.0.1:PORT for the emulator."
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "vswitch_cidr" {
  type    = string
  default = "10.0.1.0/24"
}

variable "ssh_key" {
  type        = string
  default     = "id_ed25519"
  description = "A private key file without a passphrase; its public key is the same path with .pub."
}

variable "emr_state_dir" {
  type        = string
  default     = "/var/lib/strata/local"
  description = "Where emr_job finds the cluster (the emr provider's state_dir)."
}

variable "image_id" {
  type        = string
  default     = "debian_12_6_x64_20G_alibase_20240823.vhd"
  description = "The instances' image. With artifact_mirror, one with OpenJDK 17, pip, setuptools and wheel (the emulator's debian_12_9_x64_20G_alibase_20250117.vhd)."
}

variable "artifact_mirror" {
  type        = string
  default     = null
  description = "A base URL serving the release's artifact files by name; null: the instances already have the components (the emulator's namespace hosts)."
}

provider "alicloud" {
  region   = "cn-hangzhou"
  endpoint = var.endpoint
}

provider "emr" {
  state_dir = var.emr_state_dir
}

locals {
  instance_type = "ecs.c6.large" # 2 vCPU, 4 GiB
}

resource "alicloud_vpc" "main" {
  cidr_block = var.vpc_cidr
  name       = "analytics"
}

resource "alicloud_vswitch" "main" {
  vpc_id     = alicloud_vpc.main.id
  cidr_block = var.vswitch_cidr
  zone_id    = "cn-hangzhou-h"
}

resource "alicloud_security_group" "cluster" {
  vpc_id = alicloud_vpc.main.id
  name   = "analytics"

  ingress {
    description = "SSH (the deployer)"
    protocol    = "tcp"
    port_range  = "22/22"
    cidr_ip     = "0.0.0.0/0"
  }
  ingress {
    description = "ZooKeeper: clients, followers, elections"
    protocol    = "tcp"
    port_range  = "2181/3888"
    cidr_ip     = var.vpc_cidr
  }
  ingress {
    description = "Spark: master, workers, executors, web UIs"
    protocol    = "tcp"
    port_range  = "4040/8081"
    cidr_ip     = var.vpc_cidr
  }
  ingress {
    description = "Spark history server"
    protocol    = "tcp"
    port_range  = "18080/18080"
    cidr_ip     = var.vpc_cidr
  }
  ingress {
    description = "Spark drivers and block managers (random ports)"
    protocol    = "tcp"
    port_range  = "32768/60999"
    cidr_ip     = var.vpc_cidr
  }
}

resource "alicloud_key_pair" "cluster" {
  key_name   = "analytics"
  public_key = file("${var.ssh_key}.pub")
}

resource "alicloud_emr_cluster" "analytics" {
  name     = "analytics"
  release  = "STRATA-1.0.1" # a release = fixed component versions
  services = ["ZOOKEEPER", "SPARK"]

  node_group "master" {
    role          = "MASTER"
    instance_type = local.instance_type
    count         = 1
  }
  node_group "core" {
    role          = "CORE"
    instance_type = local.instance_type
    count         = var.workers
  }
  config "spark-defaults.conf" {
    values = { "spark.executor.memory" = var.executor_memory }
  }

  vswitch_id        = alicloud_vswitch.main.id
  security_group_id = alicloud_security_group.cluster.id
  image_id          = var.image_id
  key_pair_name     = alicloud_key_pair.cluster.key_name
  private_key_path  = var.ssh_key
  emr_state_dir     = var.emr_state_dir
  artifact_mirror   = var.artifact_mirror
}

# emr_job runs on any cluster whose record is in the emr provider's state_dir.
resource "emr_job" "pi" {
  cluster = alicloud_emr_cluster.analytics.id
  type    = "PYSPARK"
  main    = "pi.py"
  args    = ["20"]
}

output "master_ui" {
  value = alicloud_emr_cluster.analytics.master_ui_url
}

output "pi" {
  description = "The end of the Pi job's driver output (\"Pi is roughly 3.14...\")."
  value       = emr_job.pi.output
}
