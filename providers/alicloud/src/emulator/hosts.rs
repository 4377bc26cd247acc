//! Instances as real hosts (`EmulatorConfig::real_hosts`): every instance is a namespace host
//! of this machine, made with the local provider's machinery (`strata-provider-local`), so a
//! deployer can log in to it over SSH and install software.
//!
//! - One local network per vSwitch (`ecs-<the vSwitch id's hex digits>`), made when its first
//!   instance is, on the vSwitch's own CIDR block: the instance's `PrivateIpAddress` is its
//!   host's address. The bridge takes the block's first host address (the gateway, `.1`), so
//!   the emulator gives instances addresses from the second one up. A block that overlaps a
//!   route or address already on this machine is refused by the local provider: the
//!   instances of that vSwitch fail (`Stopped`), with the reason in the emulator's log.
//! - An image with [`own_root`](super::catalog::Image::own_root) makes container hosts (an
//!   overlay over the cached [`BOOKWORM_COMPONENTS`] base, run by systemd-nspawn): nothing of
//!   this machine's `/usr` or component cache is seen, so a release must be delivered to them
//!   (`artifact_mirror`). The first one on a machine builds the base (debootstrap, minutes).
//! - The host's id is the instance id, its hostname the instance's `HostName`, its size the
//!   local instance type nearest to the ECS type ([`local_type`]); the key pair's public key
//!   is authorized for root (besides the network's own client key).
//! - An instance is `Pending` while its host waits to be made, `Starting` while it is made,
//!   `Running` once its sshd accepts connections. A deleted instance is `Stopping` until its
//!   host is torn down, then gone. Deleting a vSwitch removes its network.
//!
//! The work runs on one thread of its own, in the order it was asked for (a delete never
//! overtakes the create before it); the hosts of one `RunInstances` are made together. When
//! the emulator stops, every network it made is destroyed.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};

use strata_provider_local::{BOOKWORM_COMPONENTS, HostSpec, INSTANCE_TYPES, Network, Subnet};

use super::state::{Cidr, State};

/// What an instance's host is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostPhase {
    /// No host: the emulator keeps records only (its states follow [`super::Timing`]).
    Record,
    /// Waiting to be made (`Pending`).
    Queued,
    /// Being made (`Starting`).
    Making,
    /// Its sshd accepts connections (`Running`).
    Ready,
    /// Making it failed (`Stopped`); the reason.
    Failed(String),
    /// Torn down after a delete (gone).
    Destroyed,
}

/// One host to make.
#[derive(Clone, Debug)]
pub struct NewHost {
    pub instance_id: String,
    pub hostname: String,
    pub ip: Ipv4Addr,
    pub local_type: &'static str,
    /// The key pair's public key line.
    pub public_key: Option<String>,
    /// A container host with a root file system of its own ([`BOOKWORM_COMPONENTS`]) instead
    /// of a namespace host (the image's [`own_root`](super::catalog::Image::own_root)).
    pub own_root: bool,
}

/// Work for the host thread.
#[derive(Debug)]
pub enum Job {
    Make { vswitch_id: String, cidr: Cidr, hosts: Vec<NewHost> },
    Destroy { vswitch_id: String, instance_ids: Vec<String> },
    RemoveNetwork { vswitch_id: String },
}

/// The local network of a vSwitch: `ecs-` and the hex digits of its id (at most 32
/// characters, as network names must be).
pub fn network_name(vswitch_id: &str) -> String {
    let digits: String = vswitch_id
        .strip_prefix("vsw-")
        .unwrap_or(vswitch_id)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(28)
        .collect();
    format!("ecs-{digits}")
}

/// The local instance type for an ECS type of `cpu` vCPUs and `memory_mib`: the largest of the
/// local catalog that fits in both (the smallest one when none does).
pub fn local_type(cpu: u32, memory_mib: u32) -> &'static str {
    INSTANCE_TYPES
        .iter()
        .filter(|local| local.vcpus <= cpu && local.memory_mib <= u64::from(memory_mib))
        .max_by_key(|local| (local.vcpus, local.memory_mib))
        .or_else(|| INSTANCE_TYPES.iter().min_by_key(|local| (local.vcpus, local.memory_mib)))
        .map_or("local.c1m1", |local| local.name)
}

fn set_host_key(state: &Mutex<State>, instance_id: &str, fingerprint: String) {
    let mut state = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(instance) = state.instances.get_mut(instance_id) {
        instance.host_key_fingerprint = Some(fingerprint);
    }
}

fn set_phase(state: &Mutex<State>, instance_id: &str, phase: HostPhase) {
    let mut state = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(instance) = state.instances.get_mut(instance_id) {
        instance.host = phase;
    }
}

/// Starts the host thread; it runs until every [`Sender`] is dropped, then destroys the
/// networks it made.
pub fn start(
    state: Arc<Mutex<State>>,
    state_dir: PathBuf,
) -> std::io::Result<(Sender<Job>, std::thread::JoinHandle<()>)> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("alicloud-emulator-hosts".into())
        .spawn(move || work(&state, &state_dir, &receiver))?;
    Ok((sender, handle))
}

fn work(state: &Mutex<State>, state_dir: &std::path::Path, receiver: &Receiver<Job>) {
    let mut networks: BTreeMap<String, Network> = BTreeMap::new();
    while let Ok(job) = receiver.recv() {
        match job {
            Job::Make { vswitch_id, cidr, hosts } => {
                let network = match networks.get(&vswitch_id) {
                    Some(network) => Ok(network),
                    None => open(state_dir, &vswitch_id, cidr)
                        .map(|network| networks.entry(vswitch_id.clone()).or_insert(network) as &Network),
                };
                match network {
                    Ok(network) => make(state, network, &hosts),
                    Err(reason) => {
                        for host in &hosts {
                            set_phase(state, &host.instance_id, HostPhase::Failed(reason.clone()));
                        }
                    }
                }
            }
            Job::Destroy { vswitch_id, instance_ids } => {
                for id in &instance_ids {
                    if let Some(network) = networks.get(&vswitch_id) {
                        // A host that cannot be torn down is still marked gone: the
                        // emulator's inventory must not hang; `strata local gc` finds it.
                        let _ = network.destroy_host(id);
                    }
                    remove_launchers(id);
                    set_phase(state, id, HostPhase::Destroyed);
                }
            }
            Job::RemoveNetwork { vswitch_id } => {
                if let Some(network) = networks.remove(&vswitch_id) {
                    let _ = network.destroy();
                }
            }
        }
    }
    for (_, network) in networks {
        let _ = network.destroy();
    }
}

fn open(state_dir: &std::path::Path, vswitch_id: &str, cidr: Cidr) -> Result<Network, String> {
    let subnet = Subnet::new(cidr.host(0), cidr.prefix)
        .map_err(|reason| format!("vSwitch {vswitch_id}: its CIDR block {cidr} cannot be a local network: {reason}"))?;
    Network::open(state_dir, &network_name(vswitch_id), Some(subnet))
        .map_err(|error| format!("vSwitch {vswitch_id}: making its local network: {error}"))
}

/// Makes `hosts` together; each instance becomes `Running` (or `Stopped`) as its host is done.
fn make(state: &Mutex<State>, network: &Network, hosts: &[NewHost]) {
    for host in hosts {
        set_phase(state, &host.instance_id, HostPhase::Making);
    }
    std::thread::scope(|scope| {
        for host in hosts {
            scope.spawn(move || {
                let spec = HostSpec {
                    id: host.instance_id.clone(),
                    hostname: host.hostname.clone(),
                    instance_type: host.local_type.to_string(),
                };
                let made = if host.own_root {
                    network.create_container_at(&spec, host.ip, &BOOKWORM_COMPONENTS)
                } else {
                    network.create_host_at(&spec, host.ip)
                };
                let made = made.and_then(|info| match &host.public_key {
                    Some(key) => network.authorize_key(&host.instance_id, key).map(|()| info),
                    None => Ok(info),
                });
                let phase = match made {
                    Ok(info) => {
                        set_host_key(state, &host.instance_id, info.host_key_fingerprint);
                        HostPhase::Ready
                    }
                    Err(error) => {
                        let _ = network.destroy_host(&host.instance_id);
                        HostPhase::Failed(error.to_string())
                    }
                };
                set_phase(state, &host.instance_id, phase);
            });
        }
    });
}

/// Removes the service launchers of instance `id` (`<service>@<id>.sh`): a real instance's
/// disk goes with it, but namespace hosts share this machine's `/etc`, where the deployer wrote
/// them. Best effort.
fn remove_launchers(id: &str) {
    let suffix = format!("@{id}.sh");
    let Ok(entries) = std::fs::read_dir(strata_deploy::service::LAUNCHER_DIR) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().ends_with(&suffix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_sizes() {
        let name = network_name("vsw-em0123456789abcdef01");
        assert_eq!(name, "ecs-em0123456789abcdef01");
        assert!(name.len() <= 32);
        assert_eq!(local_type(2, 8192), "local.c2m8");
        assert_eq!(local_type(2, 4096), "local.c2m4");
        assert_eq!(local_type(8, 32768), "local.c4m16");
        assert_eq!(local_type(2, 2048), "local.c2m2");
        assert_eq!(local_type(1, 512), "local.c1m1");
    }
}
