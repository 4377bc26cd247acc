//! A cluster's hosts on this machine, through the local provider's machinery
//! (`strata-provider-local`): every cluster (and every `emr_metastore`) has a network of its
//! own (`emr-<id>`, a bridge and a /24 from the provider's subnet pool), and every node is a
//! namespace host in it whose id follows from the cluster id and its hostname, so an
//! interrupted apply finds the hosts it made. A cluster's network is routed to its
//! metastore's and nowhere else ([`strata_provider_local::routing`]); removing a network
//! removes its routes. Blocking calls: run them off the async runtime.

use std::fs::TryLockError;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use strata_provider_local::routing::{self, Endpoint};
use strata_provider_local::{Error as HostError, HostInfo, HostSpec, HostStatus, Network};
use strata_provider_sdk::ProviderError;

use strata_deploy::service::LAUNCHER_DIR;

use crate::render::unit_name;
use crate::settings::Resolved;
use crate::topology::{Node, Topology};

/// The network of cluster `cluster_id`.
pub fn network_name(cluster_id: &str) -> String {
    format!("emr-{cluster_id}")
}

/// The cluster id a create with idempotency token `token` makes: `c` and 12 hex digits.
pub fn cluster_id(token: &str) -> String {
    format!("c{}", &hex_digest(token)[..12])
}

/// The metastore id a create with idempotency token `token` makes: `m` and 12 hex digits.
pub fn metastore_id(token: &str) -> String {
    format!("m{}", &hex_digest(token)[..12])
}

/// The network as a routing endpoint (its bridge and subnet).
pub fn endpoint(network: &Network) -> Endpoint {
    Endpoint { bridge: network.bridge().to_string(), subnet: network.subnet() }
}

/// The local host id of node `hostname` of cluster `cluster_id`.
pub fn host_id(cluster_id: &str, hostname: &str) -> String {
    format!("h{}", &hex_digest(&format!("{cluster_id}/{hostname}"))[..12])
}

fn hex_digest(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn host_error(error: HostError) -> ProviderError {
    ProviderError::new(error.to_string())
}

/// Whether the cluster's network was made: its client key exists (the key is made last, once
/// a network's subnet has been settled).
pub fn network_exists(settings: &Resolved, cluster_id: &str) -> bool {
    Network::client_key_path_for(&settings.state_dir, &network_name(cluster_id)).exists()
}

/// Opens the cluster's network if it exists.
pub fn open_existing(settings: &Resolved, cluster_id: &str) -> Result<Option<Network>, ProviderError> {
    if !network_exists(settings, cluster_id) {
        return Ok(None);
    }
    Network::open(&settings.state_dir, &network_name(cluster_id), None).map(Some).map_err(host_error)
}

/// How long a network waits for another one to settle its subnet.
const SUBNET_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// Held while a new network takes a subnet of the pool: two networks made at once (two clusters
/// of one apply, or a metastore and a cluster) would otherwise both try the same free /24,
/// each see the other's claim, and move on to the next together, until the pool runs out.
fn subnet_lock(settings: &Resolved) -> Result<std::fs::File, ProviderError> {
    let path = settings.state_dir.join("emr").join("subnets.lock");
    let error =
        |action: &str, error: std::io::Error| ProviderError::new(format!("{action} {}: {error}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| error("creating the directory of", e))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| error("opening", e))?;
    let deadline = Instant::now() + SUBNET_LOCK_TIMEOUT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(TryLockError::WouldBlock) => {
                return Err(error(
                    "locking",
                    std::io::Error::new(std::io::ErrorKind::TimedOut, "still held after 60 s"),
                ));
            }
            Err(TryLockError::Error(e)) => return Err(error("locking", e)),
        }
    }
}

/// Opens the cluster's network, making it on the first free subnet of the pool if needed.
pub fn open_or_make(settings: &Resolved, cluster_id: &str) -> Result<Network, ProviderError> {
    if let Some(network) = open_existing(settings, cluster_id)? {
        return Ok(network);
    }
    let _lock = subnet_lock(settings)?;
    let name = network_name(cluster_id);
    let mut last = None;
    for subnet in settings.candidate_subnets() {
        match Network::open(&settings.state_dir, &name, Some(subnet)) {
            Ok(network) => return Ok(network),
            Err(error @ HostError::SubnetOverlap { .. }) => last = Some(error),
            Err(error) => return Err(host_error(error)),
        }
    }
    Err(ProviderError::new(format!(
        "no free /24 left in the subnet pool {} for cluster network {name}{}: choose another subnet_pool in the provider \"emr\" block",
        settings.subnet_pool,
        last.map(|error| format!(" (last: {error})")).unwrap_or_default()
    )))
}

/// The hosts of a cluster after [`ensure_hosts`].
#[derive(Debug)]
pub struct ClusterHosts {
    /// One per node of the topology, in its order.
    pub nodes: Vec<(Node, HostInfo)>,
    /// Hosts of the network no node needs any more (scale in), to stop and destroy.
    pub extra: Vec<HostInfo>,
    /// How many hosts were made by this call.
    pub created: usize,
}

/// Makes sure every node of `topology` has a running host: running hosts are kept, broken
/// ones destroyed and made again, missing ones made (concurrently). `progress(ready, total)`
/// is called as hosts become ready.
pub fn ensure_hosts(
    network: &Network,
    topology: &Topology,
    cluster_id: &str,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ClusterHosts, ProviderError> {
    let total = topology.nodes.len();
    let mut kept = Vec::new();
    let mut to_make = Vec::new();
    for node in &topology.nodes {
        let id = host_id(cluster_id, &node.hostname);
        let running = network.status(&id).map_err(host_error)? == HostStatus::Running;
        match network.host(&id).map_err(host_error)? {
            Some(info) if running && info.hostname == node.hostname => kept.push((node.clone(), info)),
            found => {
                if found.is_some() || network.inspect(&id).map_err(host_error)?.is_some() {
                    network.destroy_host(&id).map_err(host_error)?;
                }
                let spec = HostSpec {
                    id,
                    hostname: node.hostname.clone(),
                    instance_type: node.instance_type.name.to_string(),
                };
                to_make.push((node.clone(), spec));
            }
        }
    }
    progress(kept.len(), total);
    let created = to_make.len();
    let (sender, receiver) = mpsc::channel();
    let results: Vec<Result<HostInfo, HostError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = to_make
            .iter()
            .map(|(_, spec)| {
                let sender = sender.clone();
                scope.spawn(move || {
                    let result = network.create_host(spec);
                    let _ = sender.send(());
                    result
                })
            })
            .collect();
        drop(sender);
        let mut ready = kept.len();
        for () in receiver.iter() {
            ready += 1;
            progress(ready, total);
        }
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut failures = Vec::new();
    for ((node, _), result) in to_make.into_iter().zip(results) {
        match result {
            Ok(info) => kept.push((node, info)),
            Err(error) => failures.push(format!("{}: {error}", node.hostname)),
        }
    }
    if !failures.is_empty() {
        return Err(ProviderError::new(format!("making the cluster's hosts failed:\n{}", failures.join("\n"))));
    }
    let order = |hostname: &str| topology.nodes.iter().position(|node| node.hostname == hostname);
    kept.sort_by_key(|(node, _)| order(&node.hostname));
    let wanted: Vec<String> = topology.nodes.iter().map(|node| host_id(cluster_id, &node.hostname)).collect();
    let extra = network.hosts().map_err(host_error)?.into_iter().filter(|info| !wanted.contains(&info.id)).collect();
    Ok(ClusterHosts { nodes: kept, extra, created })
}

/// Removes the cluster's network: its routes to other networks, every host of it, its bridge
/// and its directory (client key included); then the launchers of `services` its hosts left in the machine's
/// `/etc/strata/services` (namespace hosts share the machine's `/etc`, see
/// [`crate::render::unit_name`]; a graceful delete has removed them over SSH already, this
/// catches hosts that were down), and the cluster's shared directory.
pub fn remove_network(network: Network, services: &[&str], shared_dir: &Path) -> Result<(), ProviderError> {
    routing::isolate(&endpoint(&network)).map_err(host_error)?;
    let ids: Vec<String> = network.hosts().map_err(host_error)?.into_iter().map(|info| info.id).collect();
    network.destroy().map_err(host_error)?;
    for id in &ids {
        for service in services {
            let launcher = Path::new(LAUNCHER_DIR).join(format!("{}.sh", unit_name(service, id)));
            match std::fs::remove_file(&launcher) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    return Err(ProviderError::new(format!("removing {}: {error}", launcher.display())));
                }
                _ => {}
            }
        }
    }
    match std::fs::remove_dir_all(shared_dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(ProviderError::new(format!("removing {}: {error}", shared_dir.display())))
        }
        _ => Ok(()),
    }
}

/// The client key every host of `network` lets root log in with.
pub fn client_key(network: &Network) -> String {
    path_text(&network.client_key_path())
}

pub fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_valid_names() {
        let cluster = cluster_id("550e8400-e29b-41d4-a716-446655440000");
        assert_eq!(cluster.len(), 13);
        assert_eq!(cluster, cluster_id("550e8400-e29b-41d4-a716-446655440000"));
        let name = network_name(&cluster);
        assert!(name.len() <= 32 && name.starts_with("emr-c"), "{name}");
        let host = host_id(&cluster, "analytics-core-0");
        assert_ne!(host, host_id(&cluster, "analytics-core-1"));
        assert_eq!(host.len(), 13);
    }
}
