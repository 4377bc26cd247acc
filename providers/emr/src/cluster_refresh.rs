//! Refreshing an `emr_cluster` ([`read`]): what its hosts run and hold, read back into the
//! state. Per host, one status check on this machine (no SSH to a host that is down), then one
//! SSH round trip ([`observe`]) for the services' status, every configuration file the state
//! records against what Strata rendered (`config_files`) and where every component link points
//! (`installed_versions`). [`recorded_plans`] renders, from the hosts the state records, what
//! apply wrote on them: what refresh compares the files with, and what the plan diffs.
//!
//! Separate from `cluster.rs` because it only reads: it changes no host, and a host it cannot
//! read is a value in `services_status`, not an error. `find_by_token` uses [`observe`] too,
//! for the status of hosts a create made before it was interrupted.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

use strata_deploy::SessionPool;
use strata_provider_local::{HostStatus, Network};
use strata_provider_sdk::{Ctx, ProviderError};

use crate::cluster::{DEGRADED, blocking, host_ssh, settings, topology_of};
use crate::cluster_metastore;
use crate::config_files::{self, ManagedFile, Shown, managed_files};
use crate::deploy;
use crate::installed;
use crate::machine;
use crate::metastore::read_metastore;
use crate::metastore_record::MetastoreRecord;
use crate::model::{CLUSTER_RUNNING, Cluster, ClusterHost, ConfigFile, RUNNING};
use crate::release::POSTGRESQL;
use crate::render::{HostPlan, Layout, unit_name};
use crate::settings::Resolved;
use crate::topology::Topology;

/// Refreshes the state `current` from its hosts (see the module doc); `None` when the
/// cluster's network is gone.
pub(crate) async fn read(
    pool: &Arc<SessionPool>,
    ctx: &Ctx,
    mut current: Cluster,
) -> Result<Option<Cluster>, ProviderError> {
    let Some(id) = current.id.clone() else { return Ok(Some(current)) };
    let settings = settings(ctx)?;
    let cache = settings.component_cache.to_string_lossy().into_owned();
    let Some(network) = blocking(move || machine::open_existing(&settings, &id)).await?? else {
        return Ok(None);
    };
    // The configuration files are read back when the state records them (a state written
    // before `config_files` existed gets them from its next apply).
    let files = match current.config_files {
        Some(_) => recorded_files(ctx, &current).await?,
        None => Vec::new(),
    };
    // So are the components' links (a state from before `installed_versions` gets them
    // from its next apply).
    let links = current.installed_versions.is_some().then_some(cache.as_str());
    let (status, shown, versions) = observe(pool, Arc::new(network), &current, &files, links).await?;
    if let Some(installed) = current.installed_versions.as_mut() {
        // A host that could not be read keeps what the state has (its problem is in
        // `services_status`).
        installed.extend(versions);
    }
    let healthy = status.values().all(|value| value == RUNNING);
    current.status = Some(if healthy { CLUSTER_RUNNING } else { DEGRADED }.to_string());
    current.services_status = Some(status);
    if !files.is_empty() {
        // A file of a host that could not be read is shown as the state has it (the
        // host's problem is in `services_status`).
        let text = config_files::document(files.iter().map(|file| {
            let shown = shown.get(&file.key()).cloned();
            (file, shown.unwrap_or_else(|| file.expected()))
        }));
        current.config_files = Some(text);
    }
    Ok(Some(current))
}

/// The configuration files of the cluster the state `cluster` records, as apply wrote them.
/// Empty when they cannot be rendered (the metastore is gone: refresh reads no file then).
async fn recorded_files(ctx: &Ctx, cluster: &Cluster) -> Result<Vec<ManagedFile>, ProviderError> {
    let (Some(id), Some(hosts)) = (cluster.id.clone(), cluster.hosts.clone()) else { return Ok(Vec::new()) };
    let settings = settings(ctx)?;
    let topology = topology_of(cluster)?;
    let metastore = match cluster.metastore.clone() {
        Some(metastore) => {
            let settings = settings.clone();
            match blocking(move || read_metastore(&settings, &metastore)).await? {
                Ok(record) => Some(record),
                Err(_) => return Ok(Vec::new()),
            }
        }
        None => None,
    };
    let plans = recorded_plans(&settings, &id, &topology, &cluster.config, &hosts, metastore.as_ref())?;
    Ok(plans.map(|plans| managed_files(&plans)).unwrap_or_default())
}

/// Whether each expected service runs, per node: local host status first (no SSH to a
/// host that is down), then one SSH round trip per running host.
///
/// The same round trip reads `files` (the configuration files as rendered) on each host
/// that runs: what each holds is returned by `HOST:PATH` (the content only when it differs
/// from the rendering). With `links` (the component cache), it also reads where each
/// component link points: the
/// version installed, by `HOST/COMPONENT` ([`installed`]). Files and versions of hosts
/// that could not be read are missing from the result.
pub(crate) async fn observe(
    pool: &Arc<SessionPool>,
    network: Arc<Network>,
    cluster: &Cluster,
    files: &[ManagedFile],
    links: Option<&str>,
) -> Result<Observation, ProviderError> {
    let topology = topology_of(cluster)?;
    let key = machine::client_key(&network);
    let recorded: Vec<ClusterHost> = cluster.hosts.clone().unwrap_or_default();
    let ids: Vec<String> = recorded.iter().map(|host| host.id.clone()).collect();
    let look = Arc::clone(&network);
    let statuses = blocking(move || ids.iter().map(|id| look.status(id)).collect::<Vec<_>>()).await?;
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    let mut targets = Vec::new();
    for (host, status) in recorded.iter().zip(statuses) {
        match status {
            Ok(HostStatus::Running) => {
                let Some(node) = topology.node(&host.name) else { continue };
                let services =
                    topology.services_on(node).iter().map(|service| unit_name(&service.name, &host.id)).collect();
                let facts = files.iter().filter(|file| file.host == host.name).map(ManagedFile::fact).collect();
                let links = match links {
                    Some(_) => topology
                        .components_on(node)
                        .iter()
                        .map(|component| Layout::component_link(&component.key))
                        .collect(),
                    None => Vec::new(),
                };
                let reading = deploy::Reading { services, files: facts, links };
                targets.push((host_ssh(host, &key)?, reading));
            }
            Ok(HostStatus::Gone) => {
                problems.insert(host.name.clone(), "host gone".into());
            }
            Ok(HostStatus::Broken { reason }) => {
                problems.insert(host.name.clone(), format!("host broken: {reason}"));
            }
            Err(error) => {
                problems.insert(host.name.clone(), format!("host unreadable: {error}"));
            }
        }
    }
    let observed = deploy::observe(pool, targets).await;
    let mut shown = BTreeMap::new();
    let mut versions = BTreeMap::new();
    for (host, observed) in &observed {
        let Ok(observed) = observed else { continue };
        let on_host = files.iter().filter(|file| file.host == *host);
        for (file, state) in on_host.zip(&observed.files) {
            shown.insert(file.key(), file.observed(state));
        }
        let Some(node) = topology.node(host) else { continue };
        for (component, state) in topology.components_on(node).iter().zip(&observed.links) {
            let version = installed::version_of(component, links.unwrap_or_default(), state);
            versions.insert(installed::key(host, &component.key), version);
        }
    }
    let running: BTreeMap<String, Result<BTreeMap<String, bool>, String>> =
        observed.into_iter().map(|(host, observed)| (host, observed.map(|observed| observed.running))).collect();
    let ids: BTreeMap<&str, &str> = recorded.iter().map(|host| (host.name.as_str(), host.id.as_str())).collect();
    let status = topology.observed_status(&ids, &problems, &running);
    Ok((status, shown, versions))
}

/// What [`observe`] read: `services_status`, the configuration files by
/// `HOST:PATH`, and the installed versions by `HOST/COMPONENT`.
type Observation = (BTreeMap<String, String>, BTreeMap<String, Shown>, BTreeMap<String, String>);

/// Every node's plan for the hosts the state records (`None` when a node has no recorded
/// host): what apply writes on them, for plan and refresh to compare with.
pub fn recorded_plans(
    settings: &Resolved,
    id: &str,
    topology: &Topology,
    config: &BTreeMap<String, ConfigFile>,
    hosts: &[ClusterHost],
    metastore: Option<&MetastoreRecord>,
) -> Result<Option<BTreeMap<String, HostPlan>>, ProviderError> {
    let mut ips = BTreeMap::new();
    let mut host_ids = BTreeMap::new();
    for node in &topology.nodes {
        let Some(host) = hosts.iter().find(|host| host.name == node.hostname) else { return Ok(None) };
        let ip: Ipv4Addr = host
            .ip
            .parse()
            .map_err(|_| ProviderError::new(format!("the state records address {:?} for {}", host.ip, host.name)))?;
        ips.insert(node.hostname.clone(), ip);
        host_ids.insert(node.hostname.clone(), host.id.clone());
    }
    let own_metastore = match metastore {
        None if topology.has_component(POSTGRESQL) => match cluster_metastore::read(&settings.state_dir, id)? {
            Some(record) => Some(record),
            // Not made yet (a create that did not get that far): apply writes it.
            None => return Ok(None),
        },
        _ => None,
    };
    let metastore = metastore.or(own_metastore.as_ref());
    let cache = settings.component_cache.to_string_lossy().into_owned();
    let shared = settings.shared_dir(id).to_string_lossy().into_owned();
    let master = ips.get(&topology.master().hostname).copied().unwrap_or(Ipv4Addr::UNSPECIFIED);
    // The cluster's network is the /24 of the pool its addresses are in.
    let cidr = settings
        .candidate_subnets()
        .into_iter()
        .find(|subnet| subnet.contains(master))
        .map(|subnet| subnet.to_string())
        .unwrap_or_default();
    let layout = Layout {
        topology,
        ips: &ips,
        host_ids: &host_ids,
        config,
        component_cache: &cache,
        shared_dir: &shared,
        cluster_cidr: &cidr,
        metastore,
        data_root: None,
    };
    let mut plans = BTreeMap::new();
    for node in &topology.nodes {
        plans.insert(node.hostname.clone(), layout.host_plan(node)?);
    }
    Ok(Some(plans))
}
