//! `alicloud_emr_cluster`: an `emr_cluster` on ECS instances. The same arguments as the emr
//! provider's (`name`, `release`, `services`, `node_group`, `config`), with ECS instance types,
//! plus where the instances go (`vswitch_id`, `security_group_id`, `image_id`,
//! `key_pair_name`) and the private key of that key pair the deployer logs in with
//! (`private_key_path`: a path, never the key).
//!
//! - **create**: one `RunInstances` per node group (`Amount = count`, `HostName` and
//!   `InstanceName` `<name>-<group>-[0,N]` so the instances are numbered like the nodes, a
//!   `ClientToken` derived from the engine's idempotency token and the group, every instance
//!   tagged `strata-token = <cluster id>`); `DescribeInstances` until all are `Running`; each
//!   instance's SSH host key read once (`ssh-keyscan`) and pinned in state after it is
//!   checked against the fingerprint cloud-init printed to the instance's console
//!   ([`host_keys`]; `host_key_source = "first_use"` trusts it on first use instead); then
//!   the emr provider's own deployment, unchanged: the release's topology ([`Topology`]),
//!   every node's files and services ([`Layout`]), links and configuration files written over
//!   SSH ([`deploy::prepare_files`]), services started wave by wave in the catalog's start
//!   order, each health-checked ([`start_waves_restarting`]). A create that fails deletes
//!   the instances it launched.
//! - **read**: the instances tagged with the cluster's id; a cluster without any is gone. Every
//!   service's status in one SSH round trip per running instance (`services_status`).
//! - **update**, in place: the instances found (tagged with the cluster's id) are matched to
//!   the configured nodes by hostname ([`reconcile`]): a CORE/TASK group scaled out gets one
//!   `RunInstances` per run of new indexes (a `ClientToken` per run), an instance gone or
//!   stopped is launched again under its name, then the same deployment runs again: new nodes
//!   get components, files and services, and the services reading a configuration file that
//!   changed restart host by host ([`start_waves_restarting`]); last, instances no node wants
//!   (scale in, highest index first) have their services stopped and are deleted. Resizing the
//!   MASTER group, adding or removing a group, or changing a role or instance type replaces the
//!   cluster.
//! - **delete**: services stopped in reverse start order (best effort), the cluster's shared
//!   directory removed on the master, `DeleteInstances`, then waits until they are gone.
//!
//! Components are taken where the emr provider takes them (its component cache and `/usr`, see
//! `docs/emr-provider.md`): the emulator's instances are namespace hosts of this machine and see
//! them; an instance that does not is refused with the path it misses. With `artifact_mirror`
//! they are delivered instead, before anything is linked or configured: every instance
//! downloads its components' artifacts from the mirror, verifies them against the catalog's
//! sha256 and installs them with the catalog's commands, once ([`delivery`] plans it, pure;
//! [`delivery_ssh`] runs it). The cluster's record is
//! written where `emr_job` looks (`emr_state_dir`), so an `emr_job` runs on it.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use strata_deploy::{HostSpec, ServiceSpec, SessionPool, shell_quote};
use strata_provider_emr::cluster::{
    NodeTargets, blocking, check_components, known_blocks, release_nodes, start_waves_restarting, unknown_private_ips,
};
use strata_provider_emr::config_files::readers_of_written;
use strata_provider_emr::deploy::{self, Masters, Preparation};
use strata_provider_emr::model::{CLUSTER_RUNNING, ConfigFile, NodeGroup, RUNNING, Settings as EmrSettings};
use strata_provider_emr::record::{self, ClusterRecord, NodeRecord};
use strata_provider_emr::release::{self as emr_release, SPARK_MASTER_SERVICE};
use strata_provider_emr::render::{Layout, unit_name};
use strata_provider_emr::settings::Resolved;
use strata_provider_emr::topology::{Node, Topology};
use strata_provider_sdk::{Ctx, Model, Plan, Planned, ProviderError, Resource, async_trait};

use super::emr_cluster_nodes::{LaunchRun, NodeChanges, group_and_index, reconcile};
use super::host_keys;
use super::{delivery, delivery_ssh};
use super::{poll, token};
use crate::api::console;
use crate::api::instances::{self as api, Filter, Instance, Launch};
use crate::api::vpc;
use crate::client::{CallError, Client};
use crate::settings::Shared;

/// An `emr_cluster` on ECS instances.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct EmrCluster {
    /// Cluster name; its nodes are `<name>-<node group>-<index>`.
    #[strata(required, force_new)]
    pub name: String,
    /// Release, e.g. STRATA-1.0.0.
    #[strata(required, force_new)]
    pub release: String,
    /// Components to install and run, e.g. ["ZOOKEEPER", "SPARK"].
    #[strata(required, force_new)]
    pub services: Vec<String>,
    /// An emr_metastore's id: not supported on ECS yet (refused).
    #[strata(optional)]
    pub metastore: Option<String>,
    /// A group of nodes with one role; instance_type is an ECS type (ecs.g6.large).
    #[strata(block, min_items = 1)]
    pub node_group: BTreeMap<String, NodeGroup>,
    /// Values for one configuration file, merged over the release's defaults.
    #[strata(block)]
    pub config: BTreeMap<String, ConfigFile>,
    /// The vSwitch the instances are in, vsw-...
    #[strata(required, force_new)]
    pub vswitch_id: String,
    /// The security group of the instances, sg-...
    #[strata(required, force_new)]
    pub security_group_id: String,
    /// The image of the instances.
    #[strata(required, force_new)]
    pub image_id: String,
    /// The key pair whose public key lets root log in.
    #[strata(required, force_new)]
    pub key_pair_name: String,
    /// The private key of that key pair, which the deployer logs in with (a path; never read into state).
    #[strata(required, force_new)]
    pub private_key_path: String,
    /// A base URL serving the release's artifact files by name ({artifact_mirror}/<file name of the catalog's url>), e.g. http://10.0.1.1:8000/strata. When set, every instance downloads its components' artifacts from it, checks each against the catalog's sha256 and size before installing anything, and runs the catalog's install commands (once: a marker records what is installed). Unset: the instances must already see the components (the emulator's namespace hosts share this machine's).
    #[strata(optional)]
    pub artifact_mirror: Option<String>,
    /// The emr provider's state_dir, where the cluster's record lets emr_job find it (default /var/lib/strata/local).
    #[strata(optional, force_new)]
    pub emr_state_dir: Option<String>,
    /// How a new instance's SSH host key is checked: "console" (the Ed25519 fingerprint cloud-init printed to the instance's console output must match what its sshd presents) or "first_use" (trusted on first use, for images without cloud-init).
    #[strata(optional, default = "console", allowed = "console,first_use")]
    pub host_key_source: String,
    /// Unique identifier assigned on create; the instances are tagged with it.
    #[strata(computed)]
    pub id: Option<String>,
    /// RUNNING once every service is healthy, DEGRADED when one is not.
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
    /// ZooKeeper servers, IP:2181 joined by commas.
    #[strata(computed)]
    pub zookeeper_connect: Option<String>,
    /// Every node: name, address, role, node group, instance id and SSH host key.
    #[strata(computed)]
    pub hosts: Option<Vec<EcsNode>>,
    /// "HOST/SERVICE" = "running" for every service of every node; anything else is drift.
    #[strata(computed)]
    pub services_status: Option<BTreeMap<String, String>>,
}

/// One node of a cluster on ECS.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct EcsNode {
    /// `<cluster>-<node group>-<index>`.
    pub name: String,
    /// Private address.
    pub ip: String,
    /// Role of its node group.
    pub role: String,
    /// Name of its node group.
    pub node_group: String,
    /// The ECS instance.
    pub instance_id: String,
    /// SHA256 fingerprint of its SSH host key, read when it was first seen.
    pub ssh_host_key_fingerprint: String,
}

/// `status` of a cluster with a service that does not run.
const DEGRADED: &str = "DEGRADED";
/// Prefix of a `services_status` value whose instance does not run.
const HOST_PROBLEM: &str = "host ";
/// How long instances may take to be `Running`, and to be gone after a delete.
const INSTANCE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long cloud-init may take to print the host key fingerprints once an instance is `Running`.
const CONSOLE_TIMEOUT: Duration = Duration::from_secs(120);
/// How long an instance's sshd may take to answer once it is `Running`.
const SSH_TIMEOUT: Duration = Duration::from_secs(60);
/// The instance type the topology is checked with: ECS instances are sized by ECS, not by the
/// local catalog the emr provider's topology knows.
const TOPOLOGY_TYPE: &str = "local.c1m2";

pub struct EmrClusterResource {
    shared: Arc<Shared>,
    pool: Arc<SessionPool>,
}

impl EmrClusterResource {
    pub fn new(shared: Arc<Shared>) -> EmrClusterResource {
        EmrClusterResource { shared, pool: deploy::session_pool() }
    }
}

/// The release's topology of the cluster. Node groups must name ECS instance types.
pub fn topology(
    name: &str,
    release: &str,
    services: &[String],
    groups: &BTreeMap<String, NodeGroup>,
    config: &BTreeMap<String, ConfigFile>,
) -> Result<Topology, ProviderError> {
    let mut sized = groups.clone();
    for (group_name, group) in sized.iter_mut() {
        if !group.instance_type.starts_with("ecs.") {
            return Err(ProviderError::at(
                format!("node_group.{group_name}.instance_type"),
                format!(
                    "{:?} is not an ECS instance type: use one such as \"ecs.g6.large\" (local.* types are the emr provider's)",
                    group.instance_type
                ),
            ));
        }
        group.instance_type = TOPOLOGY_TYPE.to_string();
    }
    Topology::new(name, release, services, &sized, config)
}

fn topology_of(cluster: &EmrCluster) -> Result<Topology, ProviderError> {
    topology(&cluster.name, &cluster.release, &cluster.services, &cluster.node_group, &cluster.config)
}

/// What every node of `topology` must receive from a mirror (component cache at the emr
/// provider's default path, as on the instances); an error when an artifact cannot be
/// verified (no sha256 in the catalog).
fn desired_everywhere(topology: &Topology) -> Result<(), ProviderError> {
    let cache = strata_provider_emr::settings::DEFAULT_COMPONENT_CACHE;
    for node in &topology.nodes {
        delivery::desired_for(cache, &topology.components_on(node))
            .map_err(|message| ProviderError::at("release", message))?;
    }
    Ok(())
}

/// The `ClientToken` of a node group's `RunInstances` at create: the same create and group
/// give the same token (at most 64 characters).
pub fn group_token(token: &str, group: &str) -> String {
    let digest = Sha256::digest(format!("{token}/{group}").as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("emr-{}", &hex[..40])
}

/// Every node of `topology` with its instance, matched by the instances' hostnames (group and
/// number); an error names the first node without one.
pub fn assign(topology: &Topology, instances: &[Instance]) -> Result<Vec<(Node, Instance)>, ProviderError> {
    let mut by_node: BTreeMap<(&str, usize), &Instance> = BTreeMap::new();
    for instance in instances {
        if let Some(key) = group_and_index(&topology.name, &instance.host_name) {
            by_node.entry(key).or_insert(instance);
        }
    }
    topology
        .nodes
        .iter()
        .map(|node| {
            let instance = by_node.get(&(node.node_group.as_str(), node.index)).ok_or_else(|| {
                ProviderError::new(format!(
                    "node {} has no running ECS instance (none has that hostname)",
                    node.hostname
                ))
            })?;
            Ok((node.clone(), (*instance).clone()))
        })
        .collect()
}

/// The attribute an error of a node group's `RunInstances` is about.
fn attribute_of(error: &CallError, group: &str) -> Option<String> {
    let code = error.code()?;
    let prefixes: [(&str, String); 7] = [
        ("InvalidInstanceType", format!("node_group.{group}.instance_type")),
        ("InvalidImageId", "image_id".into()),
        ("InvalidVSwitchId", "vswitch_id".into()),
        ("InvalidZoneId", "vswitch_id".into()),
        ("InvalidSecurityGroupId", "security_group_id".into()),
        ("InvalidKeyPairName", "key_pair_name".into()),
        ("QuotaExceed", format!("node_group.{group}.count")),
    ];
    prefixes.into_iter().find(|(prefix, _)| code.starts_with(prefix)).map(|(_, attribute)| attribute)
}

/// One `RunInstances` for `run` of `cluster` (tagged with the cluster's `id`): the ids it
/// launched; an error names the group's attribute it is about.
async fn run_instances(
    client: &Client,
    cluster: &EmrCluster,
    id: &str,
    run: &LaunchRun,
    client_token: &str,
) -> Result<Vec<String>, ProviderError> {
    let group = cluster
        .node_group
        .get(&run.group)
        .ok_or_else(|| ProviderError::new(format!("node group {:?} is not in the configuration", run.group)))?;
    let pattern = run.name_pattern(&cluster.name);
    let launch = Launch {
        image_id: &cluster.image_id,
        instance_type: &group.instance_type,
        vswitch_id: &cluster.vswitch_id,
        security_group_id: &cluster.security_group_id,
        key_pair_name: &cluster.key_pair_name,
        instance_name: &pattern,
        host_name: &pattern,
        amount: run.amount,
        client_token,
        group: id,
    };
    api::run_instances(client, launch).await.map_err(|error| match attribute_of(&error, &run.group) {
        Some(attribute) => error.at(&attribute),
        None => error.into(),
    })
}

/// A path made absolute from the working directory.
fn absolute(path: &str) -> Result<String, ProviderError> {
    let working_dir = std::env::current_dir()
        .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
    Ok(working_dir.join(path).to_string_lossy().into_owned())
}

/// The emr provider's settings this cluster shares: its state directory (records), component
/// cache and shared root, with their defaults.
fn emr_settings(cluster: &EmrCluster) -> Result<Resolved, ProviderError> {
    let working_dir = std::env::current_dir()
        .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
    let settings = EmrSettings { state_dir: cluster.emr_state_dir.clone(), ..EmrSettings::default() };
    Resolved::new(Some(&settings), &working_dir).map_err(|error| ProviderError::at("emr_state_dir", error.message))
}

/// The host key fingerprint an instance's sshd presents, retried until it answers.
fn scan_host_key(name: &str, ip: Ipv4Addr) -> Result<String, ProviderError> {
    let deadline = Instant::now() + SSH_TIMEOUT;
    loop {
        match strata_provider_local::presented_host_key_fingerprint(ip, strata_provider_local::SSH_PORT) {
            Ok(fingerprint) => return Ok(fingerprint),
            Err(error) if Instant::now() >= deadline => {
                return Err(ProviderError::new(format!(
                    "{name} ({ip}) is Running but its sshd did not answer within {SSH_TIMEOUT:?}: {error}"
                )));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(500)),
        }
    }
}

fn instance_ip(instance: &Instance) -> Result<Ipv4Addr, ProviderError> {
    instance
        .private_ip()
        .and_then(|ip| ip.parse().ok())
        .ok_or_else(|| ProviderError::new(format!("instance {} has no private IPv4 address", instance.instance_id)))
}

fn node_ssh(node: &EcsNode, key: &str) -> Result<HostSpec, ProviderError> {
    deploy::ssh_spec(&node.name, &node.ip, strata_provider_local::SSH_PORT, &node.ssh_host_key_fingerprint, key)
}

/// What a change of node groups (or a lost instance) does to the plan: a MASTER group resized,
/// or any group's role or instance type changed, replaces the cluster (ZooKeeper's ensemble and
/// the Spark master are not moved in place; a group added or removed replaces it too, since
/// `role` forces replacement as for `emr_cluster`); other counts and instances gone or stopped
/// change it in place, with the hosts (and the masters' addresses when a master is remade)
/// unknown until apply.
fn plan_node_changes(
    plan: &mut Plan<EmrCluster>,
    prior: &EmrCluster,
    groups: &BTreeMap<String, NodeGroup>,
) -> Result<(), ProviderError> {
    let is_master = |group: &NodeGroup| group.role == "MASTER";
    for (name, group) in groups {
        let before = prior.node_group.get(name);
        let reshaped = before.is_some_and(|before| {
            before.role != group.role
                || before.instance_type != group.instance_type
                || (is_master(group) && before.count != group.count)
        });
        if reshaped || (before.is_none() && is_master(group)) {
            plan.require_replace("node_group")?;
        }
    }
    if prior.node_group.iter().any(|(name, before)| is_master(before) && !groups.contains_key(name)) {
        plan.require_replace("node_group")?;
    }
    let mut changed: BTreeSet<String> = groups
        .iter()
        .filter(|(name, group)| prior.node_group.get(*name).map(|before| before.count) != Some(group.count))
        .map(|(name, _)| name.clone())
        .collect();
    changed.extend(prior.node_group.keys().filter(|name| !groups.contains_key(*name)).cloned());
    let status = prior.services_status.clone().unwrap_or_default();
    for host in prior.hosts.iter().flatten() {
        let lost = status
            .iter()
            .any(|(key, value)| key.starts_with(&format!("{}/", host.name)) && value.starts_with(HOST_PROBLEM));
        if lost {
            changed.insert(host.node_group.clone());
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    plan.set_unknown("hosts")?;
    if groups.iter().any(|(name, group)| is_master(group) && changed.contains(name)) {
        for attribute in ["master_private_ip", "master_url", "master_ui_url", "zookeeper_connect"] {
            plan.set_unknown(attribute)?;
        }
    }
    unknown_private_ips(plan, |name| changed.contains(name))
}

impl EmrClusterResource {
    /// The SSH host key fingerprint to pin per node of `scan` (hostname, instance id, address):
    /// the one in `known` (by instance id) when the instance has been seen before; otherwise
    /// what its sshd presents, checked against the Ed25519 fingerprint cloud-init printed to its
    /// console output (`source = "console"`, waiting up to [`CONSOLE_TIMEOUT`] for it) or
    /// trusted on first use (`"first_use"`).
    async fn host_keys(
        &self,
        ctx: &Ctx,
        client: &Arc<Client>,
        source: &str,
        scan: Vec<(String, String, Ipv4Addr)>,
        known: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        let mut fingerprints = BTreeMap::new();
        let mut checked = 0;
        for (name, instance_id, ip) in scan {
            if let Some(fingerprint) = known.get(&instance_id) {
                fingerprints.insert(name, fingerprint.clone());
                continue;
            }
            let listed = match source {
                "first_use" => None,
                _ => Some(self.console_fingerprint(client, &instance_id).await?),
            };
            let host = name.clone();
            let presented = blocking(move || scan_host_key(&host, ip)).await??;
            let fingerprint = match listed {
                None => presented,
                Some(listed) => host_keys::pin(&format!("{name} ({instance_id})"), listed.as_deref(), &presented)
                    .map_err(|message| ProviderError::at("host_key_source", message))?,
            };
            checked += 1;
            fingerprints.insert(name, fingerprint);
        }
        if checked > 0 {
            let how = if source == "first_use" { "trusted on first use" } else { "checked against console output" };
            ctx.status(format!("SSH host keys of {checked} instances {how}"));
        }
        Ok(fingerprints)
    }

    /// The Ed25519 fingerprint in an instance's console output, polled until cloud-init has
    /// printed it (bounded by [`CONSOLE_TIMEOUT`]); `None` when it never does.
    async fn console_fingerprint(
        &self,
        client: &Arc<Client>,
        instance_id: &str,
    ) -> Result<Option<String>, ProviderError> {
        let deadline = Instant::now() + CONSOLE_TIMEOUT;
        let mut wait = self.shared.options.poll.first;
        loop {
            let console = console::console_output(client, instance_id).await?;
            if let Some(fingerprint) = host_keys::ed25519_fingerprint(&console) {
                return Ok(Some(fingerprint));
            }
            if Instant::now() + wait > deadline {
                return Ok(None);
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(self.shared.options.poll.max);
        }
    }

    /// Waits until every instance of `ids` is `Running` (bounded); all of them.
    async fn running(&self, ctx: &Ctx, client: &Arc<Client>, ids: &[String]) -> Result<Vec<Instance>, ProviderError> {
        let total = ids.len() as u64;
        let reported = std::sync::atomic::AtomicU64::new(u64::MAX);
        let wait = poll(self.shared.options.poll, || async {
            let found = api::describe_instances(client, Filter::Ids(ids)).await?;
            for id in ids {
                match found.iter().find(|instance| instance.instance_id == *id) {
                    None => return Err(ProviderError::new(format!("instance {id} disappeared while it was starting"))),
                    Some(instance) if instance.status == "Stopped" => {
                        return Err(ProviderError::new(format!("instance {id} stopped while it was starting")));
                    }
                    Some(_) => {}
                }
            }
            let running = found.iter().filter(|instance| instance.is_running()).count() as u64;
            if reported.swap(running, std::sync::atomic::Ordering::Relaxed) != running {
                ctx.progress(running, total, "instances running");
            }
            Ok((running == total).then_some(found))
        });
        tokio::time::timeout(INSTANCE_TIMEOUT, wait).await.map_err(|_| {
            ProviderError::new(format!("the cluster's instances were not all Running after {INSTANCE_TIMEOUT:?}"))
        })?
    }

    /// Deletes `ids` and waits until they are gone (bounded).
    async fn delete_instances(&self, ctx: &Ctx, client: &Arc<Client>, ids: &[String]) -> Result<(), ProviderError> {
        if ids.is_empty() {
            return Ok(());
        }
        api::delete_instances(client, ids).await?;
        let total = ids.len() as u64;
        let wait = poll(self.shared.options.poll, || async {
            let left = api::describe_instances(client, Filter::Ids(ids)).await?.len() as u64;
            ctx.progress(total - left.min(total), total, "instances deleted");
            Ok((left == 0).then_some(()))
        });
        tokio::time::timeout(INSTANCE_TIMEOUT, wait).await.map_err(|_| {
            ProviderError::new(format!("the cluster's instances were not all gone after {INSTANCE_TIMEOUT:?}"))
        })?
    }

    /// Launches every node group's instances; the ids of all of them.
    async fn launch(
        &self,
        client: &Arc<Client>,
        cluster: &EmrCluster,
        id: &str,
        token: &str,
    ) -> Result<Vec<String>, (ProviderError, Vec<String>)> {
        let mut ids = Vec::new();
        for (group_name, group) in &cluster.node_group {
            if group.count <= 0 {
                continue;
            }
            let run = LaunchRun { group: group_name.clone(), begin: 0, amount: group.count as usize };
            match run_instances(client, cluster, id, &run, &group_token(token, group_name)).await {
                Ok(launched) => ids.extend(launched),
                Err(error) => return Err((error, ids)),
            }
        }
        Ok(ids)
    }

    /// Installs and starts the release on `instances` (all `Running`) the emr provider's way;
    /// `known` are host key fingerprints already pinned, by instance id. Returns the new state.
    async fn converge(
        &self,
        ctx: &Ctx,
        id: &str,
        mut cluster: EmrCluster,
        instances: &[Instance],
        known: &BTreeMap<String, String>,
    ) -> Result<EmrCluster, ProviderError> {
        let started = Instant::now();
        let topology = topology_of(&cluster)?;
        let settings = emr_settings(&cluster)?;
        if cluster.artifact_mirror.is_none() {
            check_components(&settings, &topology.release.name.to_string(), &topology.components)?;
        }
        let key = absolute(&cluster.private_key_path)?;
        let client = self.shared.client(ctx)?;
        let vswitch = vpc::describe_vswitches(&client, vpc::Filter::Id(&cluster.vswitch_id))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| ProviderError::at("vswitch_id", format!("vSwitch {} does not exist", cluster.vswitch_id)))?;

        let nodes = assign(&topology, instances)?;
        let mut scan = Vec::new();
        for (node, instance) in &nodes {
            scan.push((node.hostname.clone(), instance.instance_id.clone(), instance_ip(instance)?));
        }
        let fingerprints = self.host_keys(ctx, &client, &cluster.host_key_source, scan, known).await?;

        let mut ips = BTreeMap::new();
        let mut host_ids = BTreeMap::new();
        for (node, instance) in &nodes {
            ips.insert(node.hostname.clone(), instance_ip(instance)?);
            host_ids.insert(node.hostname.clone(), instance.instance_id.clone());
        }
        let cache = settings.component_cache.to_string_lossy().into_owned();
        let shared = settings.shared_dir(id).to_string_lossy().into_owned();
        let layout = Layout {
            topology: &topology,
            ips: &ips,
            host_ids: &host_ids,
            config: &cluster.config,
            component_cache: &cache,
            shared_dir: &shared,
            cluster_cidr: &vswitch.cidr_block,
            metastore: None,
            data_root: None,
        };
        let mut ssh = BTreeMap::new();
        let mut work = BTreeMap::new();
        let mut plans = BTreeMap::new();
        for (node, _) in &nodes {
            let plan = layout.host_plan(node)?;
            let address = ips[&node.hostname].to_string();
            let spec = deploy::ssh_spec(
                &node.hostname,
                &address,
                strata_provider_local::SSH_PORT,
                &fingerprints[&node.hostname],
                &key,
            )?;
            ssh.insert(node.hostname.clone(), spec);
            work.insert(
                node.hostname.clone(),
                Preparation {
                    required: plan.required.clone(),
                    files: plan.files.clone(),
                    setup: plan.setup.clone(),
                    authorized_key: None,
                },
            );
            plans.insert(node.hostname.clone(), plan);
        }
        if let Some(mirror) = &cluster.artifact_mirror {
            let mut targets = Vec::new();
            for (node, _) in &nodes {
                let desired = delivery::desired_for(&cache, &topology.components_on(node))
                    .map_err(|message| ProviderError::at("release", message))?;
                targets.push((ssh[&node.hostname].clone(), desired));
            }
            delivery_ssh::deliver(&self.pool, ctx, mirror, targets).await?;
        }
        let specs: Vec<HostSpec> = ssh.values().cloned().collect();
        let total = specs.len() as u64;
        let prepared = deploy::prepare_files(&self.pool, &specs, work, |done, _| {
            ctx.progress(done as u64, total, "components linked, configuration written")
        })
        .await?;
        // The services reading a file written (changed, or edited on its node) restart, one
        // host at a time.
        let written: BTreeMap<String, Vec<String>> =
            prepared.into_iter().map(|(host, prepared)| (host, prepared.written)).collect();
        let readers = readers_of_written(&topology, &plans, &written);
        let masters = Masters {
            ips: release_nodes(&topology, SPARK_MASTER_SERVICE).iter().map(|node| ips[&node.hostname]).collect(),
            ui_port: emr_release::port(topology.release, SPARK_MASTER_SERVICE, 1).unwrap_or(8080),
        };
        let targets = NodeTargets { plans: &plans, ssh: &ssh, ips: &ips };
        start_waves_restarting(&self.pool, ctx, &topology, targets, &masters, started, &readers).await?;

        let mut hosts = Vec::new();
        let mut private_ips: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (node, instance) in &nodes {
            let ip = ips[&node.hostname].to_string();
            private_ips.entry(node.node_group.clone()).or_default().push(ip.clone());
            hosts.push(EcsNode {
                name: node.hostname.clone(),
                ip,
                role: node.role.to_string(),
                node_group: node.node_group.clone(),
                instance_id: instance.instance_id.clone(),
                ssh_host_key_fingerprint: fingerprints[&node.hostname].clone(),
            });
        }
        for (name, group) in cluster.node_group.iter_mut() {
            group.private_ips = Some(private_ips.remove(name).unwrap_or_default());
        }
        let master_node = release_nodes(&topology, SPARK_MASTER_SERVICE).first().copied().unwrap_or(topology.master());
        let master_ip = ips[&master_node.hostname];
        let record = ClusterRecord {
            id: id.to_string(),
            name: cluster.name.clone(),
            release: cluster.release.clone(),
            master_url: layout.master_url(),
            master_ui_url: layout.master_ui_url(),
            master: NodeRecord {
                hostname: master_node.hostname.clone(),
                ip: master_ip.to_string(),
                ssh_port: strata_provider_local::SSH_PORT,
                ssh_host_key_fingerprint: fingerprints[&master_node.hostname].clone(),
            },
            ssh_private_key_path: key,
        };
        let state_dir = settings.state_dir.clone();
        blocking(move || record::write(&state_dir, &record)).await??;
        cluster.id = Some(id.to_string());
        cluster.status = Some(CLUSTER_RUNNING.to_string());
        cluster.master_private_ip = Some(ips[&topology.master().hostname].to_string());
        cluster.master_url = Some(layout.master_url());
        cluster.master_ui_url = Some(layout.master_ui_url());
        cluster.zookeeper_connect = Some(layout.zookeeper_connect());
        cluster.hosts = Some(hosts);
        cluster.services_status = Some(topology.expected_status());
        ctx.log().info(&format!("cluster {id}: converged in {:.1?}", started.elapsed()));
        Ok(cluster)
    }

    /// Whether each expected service runs, per node: instance status first, then one SSH round
    /// trip per running instance.
    async fn observe(
        &self,
        cluster: &EmrCluster,
        instances: &[Instance],
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        let topology = topology_of(cluster)?;
        let key = absolute(&cluster.private_key_path)?;
        let recorded = cluster.hosts.clone().unwrap_or_default();
        let mut problems = BTreeMap::new();
        let mut targets = Vec::new();
        for host in &recorded {
            match instances.iter().find(|instance| instance.instance_id == host.instance_id) {
                None => {
                    problems.insert(host.name.clone(), "host gone".to_string());
                }
                Some(instance) if !instance.is_running() => {
                    problems.insert(host.name.clone(), format!("host {}", instance.status.to_lowercase()));
                }
                Some(_) => {
                    let Some(node) = topology.node(&host.name) else { continue };
                    let services = topology
                        .services_on(node)
                        .iter()
                        .map(|service| unit_name(&service.name, &host.instance_id))
                        .collect();
                    targets.push((node_ssh(host, &key)?, services));
                }
            }
        }
        let running = deploy::service_status(&self.pool, targets).await;
        let ids: BTreeMap<&str, &str> =
            recorded.iter().map(|host| (host.name.as_str(), host.instance_id.as_str())).collect();
        Ok(topology.observed_status(&ids, &problems, &running))
    }

    /// Stops the cluster's services in reverse start order and removes its launchers and shared
    /// directory (best effort: failures are logged, the instances go anyway).
    async fn stop_all(&self, ctx: &Ctx, cluster: &EmrCluster, id: &str) {
        let (Ok(topology), Ok(key), Ok(settings)) =
            (topology_of(cluster), absolute(&cluster.private_key_path), emr_settings(cluster))
        else {
            return;
        };
        let hosts = cluster.hosts.clone().unwrap_or_default();
        self.stop_services_on(ctx, &topology, &key, &hosts).await;
        let master = hosts.iter().find(|host| host.name == topology.master().hostname);
        if let Some(ssh) = master.and_then(|host| node_ssh(host, &key).ok()) {
            let command = format!("rm -rf -- {}", shell_quote(&settings.shared_dir(id).to_string_lossy()));
            let removed = deploy::on_host(&self.pool, &ssh, move |connection| {
                connection.run_checked(&command, &strata_deploy::ExecOptions::with_timeout(Duration::from_secs(60)))
            })
            .await;
            if let Err(error) = removed {
                ctx.log().warn(&format!("removing the cluster's shared directory: {error}"));
            }
        }
        for host in &hosts {
            self.pool.close(&host.name);
        }
    }

    /// Stops the services of `topology` on `hosts`, wave by wave in reverse start order (best
    /// effort: failures are logged, the instances go anyway).
    async fn stop_services_on(&self, ctx: &Ctx, topology: &Topology, key: &str, hosts: &[EcsNode]) {
        for wave in topology.waves.iter().rev() {
            let mut targets = Vec::new();
            for host in hosts {
                let Some(node) = topology.node(&host.name) else { continue };
                let specs: Vec<ServiceSpec> = wave
                    .iter()
                    .filter(|service| topology.runs(node, service))
                    .map(|service| ServiceSpec::new(unit_name(&service.name, &host.instance_id), "true"))
                    .collect();
                if let (false, Ok(ssh)) = (specs.is_empty(), node_ssh(host, key)) {
                    targets.push((ssh, specs));
                }
            }
            if targets.is_empty() {
                continue;
            }
            let names: Vec<&str> = wave.iter().map(|service| service.name.as_str()).collect();
            for failure in deploy::stop_services(&self.pool, targets, true).await {
                ctx.log().warn(&format!("stopping {names:?}: {failure} (the instance is deleted anyway)"));
            }
            ctx.status(format!("{} stopped", names.join(", ")));
        }
    }

    /// Scale in (and clean up): the services of `surplus` instances the prior state knows are
    /// stopped in reverse start order, highest index first, then every surplus instance is
    /// deleted.
    async fn remove_surplus(
        &self,
        ctx: &Ctx,
        client: &Arc<Client>,
        prior: &EmrCluster,
        surplus: &[Instance],
    ) -> Result<(), ProviderError> {
        if surplus.is_empty() {
            return Ok(());
        }
        let hosts: Vec<EcsNode> = surplus
            .iter()
            .filter_map(|instance| {
                prior.hosts.iter().flatten().find(|host| host.instance_id == instance.instance_id).cloned()
            })
            .collect();
        if let (Ok(topology), Ok(key)) = (topology_of(prior), absolute(&prior.private_key_path)) {
            self.stop_services_on(ctx, &topology, &key, &hosts).await;
        }
        for host in &hosts {
            self.pool.close(&host.name);
        }
        let ids: Vec<String> = surplus.iter().map(|instance| instance.instance_id.clone()).collect();
        self.delete_instances(ctx, client, &ids).await?;
        ctx.status(format!("{} instances removed", ids.len()));
        Ok(())
    }

    /// Launches the runs of missing nodes of an update, each with its own `ClientToken`; the
    /// ids of the instances launched. Those launched before a failure stay tagged with the
    /// cluster's id, so the next update finds and keeps them.
    async fn launch_runs(
        &self,
        client: &Arc<Client>,
        cluster: &EmrCluster,
        id: &str,
        changes: &NodeChanges,
    ) -> Result<Vec<String>, ProviderError> {
        let mut ids = Vec::new();
        for run in &changes.launches {
            ids.extend(run_instances(client, cluster, id, run, &run.client_token(id, &changes.keep)).await?);
        }
        Ok(ids)
    }

    /// The cluster's instances: those tagged with its id and those its state lists.
    async fn instances(
        &self,
        client: &Arc<Client>,
        cluster: &EmrCluster,
        id: &str,
    ) -> Result<Vec<Instance>, ProviderError> {
        let mut found = api::describe_instances(client, Filter::Group(id)).await?;
        let listed: Vec<String> = cluster
            .hosts
            .iter()
            .flatten()
            .map(|host| host.instance_id.clone())
            .filter(|listed| !found.iter().any(|instance| instance.instance_id == *listed))
            .collect();
        if !listed.is_empty() {
            found.extend(api::describe_instances(client, Filter::Ids(&listed)).await?);
        }
        Ok(found)
    }
}

#[async_trait]
impl Resource for EmrClusterResource {
    type Model = EmrCluster;
    const TYPE_NAME: &'static str = "alicloud_emr_cluster";

    async fn plan(&self, ctx: &Ctx, plan: &mut Plan<EmrCluster>) -> Result<(), ProviderError> {
        self.shared.client(ctx)?;
        if let Planned::Known(Some(_)) = plan.config::<Option<String>>("metastore")? {
            return Err(ProviderError::at(
                "metastore",
                "a shared metastore (emr_metastore) is not supported on ECS clusters yet: remove metastore",
            ));
        }
        let (Planned::Known(name), Planned::Known(release), Planned::Known(services), Some(groups), Some(config)) = (
            plan.config::<String>("name")?,
            plan.config::<String>("release")?,
            plan.config::<Vec<String>>("services")?,
            known_blocks::<NodeGroup>(plan.config_value(), "node_group"),
            known_blocks::<ConfigFile>(plan.config_value(), "config"),
        ) else {
            return Ok(());
        };
        let topology = topology(&name, &release, &services, &groups, &config)?;
        if let Planned::Known(Some(mirror)) = plan.config::<Option<String>>("artifact_mirror")? {
            delivery::check_mirror(&mirror).map_err(|message| ProviderError::at("artifact_mirror", message))?;
            desired_everywhere(&topology)?;
        }
        // What the node groups would buy exists, in the vSwitch's zone once it exists.
        let client = self.shared.client(ctx)?;
        let vswitch = plan.config::<String>("vswitch_id")?;
        let zone = super::offerings_check::vswitch_zone(ctx, &client, &vswitch).await;
        let wanted: Vec<super::offerings_check::Wanted<'_>> = groups
            .iter()
            .map(|(group, spec)| super::offerings_check::Wanted {
                attribute: format!("node_group.{group}.instance_type"),
                instance_type: &spec.instance_type,
                zone: zone.as_deref(),
            })
            .collect();
        let image = plan.config::<String>("image_id")?;
        let image = match &image {
            Planned::Known(image) => Some(("image_id", image.as_str())),
            Planned::Unknown => None,
        };
        super::offerings_check::check(ctx, &client, &wanted, image).await?;
        plan.set("services_status", topology.expected_status())?;
        plan.set("status", CLUSTER_RUNNING.to_string())?;
        let Some(prior) = plan.prior()? else { return Ok(()) };
        plan_node_changes(plan, &prior, &groups)
    }

    async fn create(&self, ctx: &Ctx, planned: EmrCluster) -> Result<EmrCluster, ProviderError> {
        let token = token(ctx);
        let id = strata_provider_emr::machine::cluster_id(&token);
        // Refused before anything is launched: the configuration, the components, the key.
        let topology = topology_of(&planned)?;
        let settings = emr_settings(&planned)?;
        if planned.artifact_mirror.is_none() {
            check_components(&settings, &topology.release.name.to_string(), &topology.components)?;
        }
        let key = absolute(&planned.private_key_path)?;
        if !Path::new(&key).is_file() {
            return Err(ProviderError::at("private_key_path", format!("{key} is not a file")));
        }
        let client = self.shared.client(ctx)?;
        let ids = match self.launch(&client, &planned, &id, &token).await {
            Ok(ids) => ids,
            Err((error, launched)) => return Err(self.roll_back(ctx, &client, error, launched).await),
        };
        ctx.status(format!("{} instances launched", ids.len()));
        let result = match self.running(ctx, &client, &ids).await {
            Ok(instances) => self.converge(ctx, &id, planned, &instances, &BTreeMap::new()).await,
            Err(error) => Err(error),
        };
        match result {
            Ok(cluster) => Ok(cluster),
            Err(error) if error.outcome_unknown => Err(error),
            Err(error) => {
                let _ = record::remove(&settings.state_dir, &id);
                Err(self.roll_back(ctx, &client, error, ids).await)
            }
        }
    }

    async fn read(&self, ctx: &Ctx, mut current: EmrCluster) -> Result<Option<EmrCluster>, ProviderError> {
        let Some(id) = current.id.clone() else { return Ok(Some(current)) };
        let client = self.shared.client(ctx)?;
        let instances = self.instances(&client, &current, &id).await?;
        if instances.is_empty() {
            return Ok(None);
        }
        let status = self.observe(&current, &instances).await?;
        let healthy = status.values().all(|value| value == RUNNING);
        current.status = Some(if healthy { CLUSTER_RUNNING } else { DEGRADED }.to_string());
        current.services_status = Some(status);
        Ok(Some(current))
    }

    async fn update(&self, ctx: &Ctx, prior: EmrCluster, planned: EmrCluster) -> Result<EmrCluster, ProviderError> {
        let id = prior.id.clone().ok_or_else(|| ProviderError::new("the prior state of the cluster has no id"))?;
        let client = self.shared.client(ctx)?;
        let topology = topology_of(&planned)?;
        let wanted: Vec<(String, usize)> =
            topology.nodes.iter().map(|node| (node.node_group.clone(), node.index)).collect();
        let changes = reconcile(&planned.name, &wanted, &self.instances(&client, &prior, &id).await?);
        let remake: Vec<String> = changes.remake.iter().map(|instance| instance.instance_id.clone()).collect();
        if !remake.is_empty() {
            ctx.status(format!("deleting {} stopped instances, to launch them again", remake.len()));
            self.delete_instances(ctx, &client, &remake).await?;
        }
        let mut ids: Vec<String> = changes.keep.iter().map(|instance| instance.instance_id.clone()).collect();
        let launched = self.launch_runs(&client, &planned, &id, &changes).await?;
        if !launched.is_empty() {
            ctx.status(format!("{} instances launched", launched.len()));
        }
        ids.extend(launched);
        let instances = self.running(ctx, &client, &ids).await?;
        let known = prior
            .hosts
            .iter()
            .flatten()
            .map(|host| (host.instance_id.clone(), host.ssh_host_key_fingerprint.clone()))
            .collect();
        let cluster = self.converge(ctx, &id, planned, &instances, &known).await?;
        self.remove_surplus(ctx, &client, &prior, &changes.surplus).await?;
        Ok(cluster)
    }

    async fn delete(&self, ctx: &Ctx, prior: EmrCluster) -> Result<(), ProviderError> {
        let Some(id) = prior.id.clone() else { return Ok(()) };
        let client = self.shared.client(ctx)?;
        self.stop_all(ctx, &prior, &id).await;
        if let Ok(settings) = emr_settings(&prior) {
            let state_dir = settings.state_dir.clone();
            let record_id = id.clone();
            blocking(move || record::remove(&state_dir, &record_id)).await??;
        }
        let ids: Vec<String> =
            self.instances(&client, &prior, &id).await?.into_iter().map(|instance| instance.instance_id).collect();
        self.delete_instances(ctx, &client, &ids).await?;
        ctx.status("instances deleted");
        Ok(())
    }

    async fn find_by_token(&self, ctx: &Ctx, mut planned: EmrCluster) -> Result<Option<EmrCluster>, ProviderError> {
        let id = strata_provider_emr::machine::cluster_id(ctx.idempotency_token());
        let client = self.shared.client(ctx)?;
        let found = api::describe_instances(&client, Filter::Group(&id)).await?;
        if found.is_empty() {
            return Ok(None);
        }
        // Adopted as it is; the next apply's update finishes the deployment.
        let ids: Vec<String> = found.iter().map(|instance| instance.instance_id.clone()).collect();
        let instances = self.running(ctx, &client, &ids).await?;
        let topology = topology_of(&planned)?;
        let mut hosts = Vec::new();
        for (node, instance) in assign(&topology, &instances)? {
            let ip = instance_ip(&instance)?;
            let scan = vec![(node.hostname.clone(), instance.instance_id.clone(), ip)];
            let keys = self.host_keys(ctx, &client, &planned.host_key_source, scan, &BTreeMap::new()).await?;
            let fingerprint = keys.into_values().next().unwrap_or_default();
            hosts.push(EcsNode {
                name: node.hostname.clone(),
                ip: ip.to_string(),
                role: node.role.to_string(),
                node_group: node.node_group.clone(),
                instance_id: instance.instance_id.clone(),
                ssh_host_key_fingerprint: fingerprint,
            });
        }
        planned.id = Some(id);
        planned.hosts = Some(hosts);
        let status = self.observe(&planned, &instances).await?;
        planned.status = Some(DEGRADED.to_string());
        planned.services_status = Some(status);
        Ok(Some(planned))
    }
}

impl EmrClusterResource {
    /// Deletes the instances a failed create launched; the error says what happened to them.
    async fn roll_back(
        &self,
        ctx: &Ctx,
        client: &Arc<Client>,
        error: ProviderError,
        launched: Vec<String>,
    ) -> ProviderError {
        if launched.is_empty() {
            return error;
        }
        ctx.status("rolling back: deleting the cluster's instances");
        match self.delete_instances(ctx, client, &launched).await {
            Ok(()) => {
                ProviderError { message: format!("{}\nThe cluster's instances were deleted.", error.message), ..error }
            }
            Err(cleanup) => ProviderError::outcome_unknown(format!(
                "{}\nDeleting the cluster's instances failed too ({}): the next plan finds what is left.",
                error.message, cleanup.message
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(id: &str, host_name: &str) -> Instance {
        serde_json::from_value(serde_json::json!({"InstanceId": id, "Status": "Running", "HostName": host_name}))
            .unwrap()
    }

    fn group(role: &str, instance_type: &str, count: i64) -> NodeGroup {
        NodeGroup { role: role.into(), instance_type: instance_type.into(), count, disk_size: None, private_ips: None }
    }

    #[test]
    fn names_tokens_and_assignment() {
        let run = |amount| LaunchRun { group: "core".into(), begin: 0, amount };
        assert_eq!(run(2).name_pattern("analytics"), "analytics-core-[0,1]");
        assert_eq!(run(11).name_pattern("analytics"), "analytics-core-[0,2]");
        assert_eq!(group_token("t", "core"), group_token("t", "core"));
        assert_ne!(group_token("t", "core"), group_token("t", "master"));
        assert!(group_token("t", "core").len() <= 64);

        let groups: BTreeMap<String, NodeGroup> = [
            ("master".to_string(), group("MASTER", "ecs.g6.large", 1)),
            ("core".to_string(), group("CORE", "ecs.g6.large", 2)),
        ]
        .into();
        let topology =
            topology("a", "STRATA-1.0.0", &["ZOOKEEPER".into(), "SPARK".into()], &groups, &BTreeMap::new()).unwrap();
        let instances = [instance("i-3", "a-core-1"), instance("i-1", "a-master-0"), instance("i-2", "a-core-0")];
        let assigned: Vec<(String, String)> = assign(&topology, &instances)
            .unwrap()
            .into_iter()
            .map(|(node, instance)| (node.hostname, instance.instance_id))
            .collect();
        assert_eq!(
            assigned,
            [("a-master-0".into(), "i-1".into()), ("a-core-0".into(), "i-2".into()), ("a-core-1".into(), "i-3".into())]
        );
        let error = assign(&topology, &instances[..2]).unwrap_err();
        assert!(error.message.contains("a-core-0"), "{}", error.message);

        let local: BTreeMap<String, NodeGroup> = [("master".to_string(), group("MASTER", "local.c1m2", 1))].into();
        let error = topology_error(&local);
        assert_eq!(error.attribute.as_deref(), Some("node_group.master.instance_type"));
    }

    fn topology_error(groups: &BTreeMap<String, NodeGroup>) -> ProviderError {
        topology("a", "STRATA-1.0.0", &["SPARK".into()], groups, &BTreeMap::new()).unwrap_err()
    }
}
