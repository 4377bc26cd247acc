//! The `emr_cluster` resource as Rust types ([`Cluster`]; `#[derive(Model)]` makes its schema),
//! and the provider block ([`Settings`]).

use std::collections::BTreeMap;

use strata_provider_sdk::Model;

/// A cluster: node groups running a release's services on hosts of its own.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Cluster name; its hosts are named `<name>-<node group>-<index>`.
    #[strata(required, force_new)]
    pub name: String,
    /// Release, e.g. STRATA-1.0.1: a fixed set of component versions. A patch-level change
    /// (a.b.c -> a.b.d) upgrades the cluster in place, rolling; any other change replaces it.
    #[strata(required)]
    pub release: String,
    /// Components to install and run, e.g. ["ZOOKEEPER", "SPARK"]; adding or removing one changes the cluster in place.
    #[strata(required)]
    pub services: Vec<String>,
    /// Id of an emr_metastore to share table metadata through.
    #[strata(optional)]
    pub metastore: Option<String>,
    /// A public key (one authorized_keys line) allowed to log in to every node as root.
    #[strata(optional)]
    pub ssh_public_key: Option<String>,
    /// A group of nodes with one role.
    #[strata(block, min_items = 1)]
    pub node_group: BTreeMap<String, NodeGroup>,
    /// Values for one configuration file, merged over the release's defaults.
    #[strata(block)]
    pub config: BTreeMap<String, ConfigFile>,
    /// A script run as root on every node while the cluster is created (changing one replaces
    /// the cluster: it runs only at create).
    #[strata(block)]
    pub bootstrap_action: BTreeMap<String, BootstrapAction>,
    /// Unique identifier assigned on create.
    #[strata(computed)]
    pub id: Option<String>,
    /// RUNNING once every service is healthy.
    #[strata(computed)]
    pub status: Option<String>,
    /// Address of the first master node.
    #[strata(computed)]
    pub master_private_ip: Option<String>,
    /// The Spark master, spark://IP:7077.
    #[strata(computed)]
    pub master_url: Option<String>,
    /// URL of the Spark master web UI.
    #[strata(computed)]
    pub master_ui_url: Option<String>,
    /// The Spark SQL Thrift server (HiveServer2 protocol), jdbc:hive2://IP:10000/default; null without SPARK_THRIFT.
    #[strata(computed)]
    pub sql_jdbc_url: Option<String>,
    /// ZooKeeper servers, IP:2181 joined by commas.
    #[strata(computed)]
    pub zookeeper_connect: Option<String>,
    /// Every node: name, address, role, node group and SSH host key.
    #[strata(computed)]
    pub hosts: Option<Vec<ClusterHost>>,
    /// "HOST/SERVICE" = "running" for every service of every node; anything else is drift.
    #[strata(computed)]
    pub services_status: Option<BTreeMap<String, String>>,
    /// The private key that logs in to every node as root (a path; the state holds no key).
    #[strata(computed)]
    pub ssh_private_key_path: Option<String>,
    /// Every configuration file on every node, one section `==> HOST:PATH <==` each, as Strata
    /// writes them; refresh reads them back, so a file edited on a node is drift. Files of mode
    /// 0600 (they may hold secrets) show only their sha256.
    #[strata(computed)]
    pub config_files: Option<String>,
    /// "HOST/SERVICE" of every running service this change restarts because a file it reads
    /// changes (kept from the last apply when nothing else changes).
    #[strata(computed)]
    pub restarts: Option<Vec<String>>,
    /// The components each node gets, "KEY VERSION", by hostname.
    #[strata(computed)]
    pub components: Option<BTreeMap<String, Vec<String>>>,
    /// The release's services in start order: waves, each started once the earlier ones are healthy.
    #[strata(computed)]
    pub start_order: Option<Vec<Vec<String>>>,
    /// "HOST/COMPONENT" = the version installed there (what its link points at); refresh reads
    /// it, so a component linked at another version is drift.
    #[strata(computed)]
    pub installed_versions: Option<BTreeMap<String, String>>,
    /// How the last change of `release` is made and why: in place (a patch-level change) or a
    /// replacement (kept from the last apply when `release` does not change; null on create).
    #[strata(computed)]
    pub release_change: Option<String>,
}

/// A group of nodes with one role.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct NodeGroup {
    /// MASTER, CORE, TASK or GATEWAY.
    #[strata(required, force_new, allowed = "MASTER,CORE,TASK,GATEWAY")]
    pub role: String,
    /// Instance size, e.g. local.c1m2.
    #[strata(required, force_new)]
    pub instance_type: String,
    /// Number of nodes.
    #[strata(optional, default = 1)]
    pub count: i64,
    /// Data disk size in GiB (not enforced on local hosts).
    #[strata(optional)]
    pub disk_size: Option<f64>,
    /// Addresses of the nodes.
    #[strata(computed)]
    pub private_ips: Option<Vec<String>>,
}

/// Values for one configuration file.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct ConfigFile {
    /// Keys and values merged into the file.
    #[strata(required)]
    pub values: BTreeMap<String, String>,
}

/// A script run on every node at create.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct BootstrapAction {
    /// A local shell script (relative to the working directory), uploaded to every node.
    #[strata(required)]
    pub script: String,
    /// Arguments passed to the script.
    #[strata(optional)]
    pub args: Option<Vec<String>>,
    /// BEFORE_INSTALL (hosts up, nothing installed) or AFTER_STARTED (every service healthy).
    #[strata(optional, default = "BEFORE_INSTALL", allowed = "BEFORE_INSTALL,AFTER_STARTED")]
    pub when: String,
    /// ABORT (the create fails and is rolled back) or CONTINUE (a warning in the provider log).
    #[strata(optional, default = "ABORT", allowed = "ABORT,CONTINUE")]
    pub on_failure: String,
    /// sha256 of the script's content.
    #[strata(computed)]
    pub script_sha256: Option<String>,
}

/// `when` of a bootstrap action run before anything is installed.
pub const BEFORE_INSTALL: &str = "BEFORE_INSTALL";
/// `when` of a bootstrap action run once every service is healthy.
pub const AFTER_STARTED: &str = "AFTER_STARTED";
/// `on_failure` of a bootstrap action whose failure only warns.
pub const CONTINUE: &str = "CONTINUE";

/// One node of a cluster.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct ClusterHost {
    /// Hostname, `<cluster>-<node group>-<index>`.
    pub name: String,
    /// Private address.
    pub ip: String,
    /// Role of its node group.
    pub role: String,
    /// Name of its node group.
    pub node_group: String,
    /// The local host's id.
    pub id: String,
    /// SHA256 fingerprint of its SSH host key.
    pub ssh_host_key_fingerprint: String,
}

/// The `provider "emr" { }` block: where local clusters live on this machine.
#[derive(Model, Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// The local hosts' state directory (default /var/lib/strata/local).
    #[strata(optional)]
    pub state_dir: Option<String>,
    /// Private IPv4 range the clusters' networks are taken from, one /24 each (default 10.232.0.0/16).
    #[strata(optional)]
    pub subnet_pool: Option<String>,
    /// Where component artifacts are cached on this machine (default /var/cache/strata/components).
    #[strata(optional)]
    pub component_cache: Option<String>,
    /// Where each cluster gets a directory every node sees, `{shared_dir}` (default /srv/strata/clusters).
    #[strata(optional)]
    pub shared_root: Option<String>,
}

/// The value every entry of `services_status` has when all is well.
pub const RUNNING: &str = "running";
/// `status` of a cluster whose services all run.
pub const CLUSTER_RUNNING: &str = "RUNNING";
