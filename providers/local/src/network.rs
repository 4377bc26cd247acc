//! [`Network`]: a set of hosts sharing a bridge, a subnet and a client key, and the entry
//! point for making, inspecting and removing them.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::bridge::{self, BridgeFacts};
use crate::cgroups::{self, CgroupFacts};
use crate::error::{Error, Result};
use crate::host::{self, HostInfo, HostSpec};
use crate::inspect::{self, HostReport};
use crate::isolation::Isolation;
use crate::layout::{NetworkPaths, StateLayout};
use crate::lock::NetworkLock;
use crate::record::{self, HostRecord, NetworkRecord};
use crate::runner::{self, COMMAND_TIMEOUT, CommandSpec};
use crate::state_dir::{check_state_dir, read_host_records, read_network_records};
use crate::status::HostStatus;
use crate::subnet::{self, DEFAULT_SUBNET, Subnet};
use crate::{facts, hosts_file, names, privileges, teardown};

/// The default state directory.
pub const DEFAULT_STATE_DIR: &str = "/var/lib/strata/local";

/// A network of local hosts. Its methods take `&self` and may be called from several
/// threads at once; the network's lock serializes what must be.
#[derive(Debug)]
pub struct Network {
    pub(crate) state: StateLayout,
    pub(crate) paths: NetworkPaths,
    name: String,
    subnet: Subnet,
    bridge: String,
    cgroup_facts: OnceLock<CgroupFacts>,
    /// Where container hosts' base root file systems are cached.
    pub(crate) rootfs_cache: PathBuf,
}

impl Network {
    /// Opens (creating on first use) the network `name` recorded under `state_dir`.
    ///
    /// `subnet` defaults to the recorded one, or [`DEFAULT_SUBNET`] for a new network; a
    /// subnet overlapping a route or address already on the machine (other than this
    /// network's own bridge) is refused. Checks first that this process may make namespaces
    /// and that sshd is installed. Network names identify the network on the whole machine
    /// (its namespaces are named after it), so two state directories must not share one.
    pub fn open(state_dir: impl AsRef<Path>, name: &str, subnet: Option<Subnet>) -> Result<Network> {
        let state_dir = check_state_dir(state_dir.as_ref())?;
        names::check_network_name(name)?;
        privileges::check()?;
        let state = StateLayout::new(state_dir);
        let paths = state.network(name);
        for dir in [state.root().to_path_buf(), state.hosts_dir(), state.networks_dir()] {
            std::fs::create_dir_all(&dir).map_err(Error::io("creating", &dir))?;
        }
        match std::fs::create_dir(&paths.dir) {
            Ok(()) => std::fs::set_permissions(&paths.dir, std::fs::Permissions::from_mode(0o700))
                .map_err(Error::io("setting permissions of", &paths.dir))?,
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(Error::Io { action: "creating", path: paths.dir.clone(), source: error }),
        }
        let bridge = names::bridge_name(name);
        let mut network = Network {
            state,
            paths,
            name: name.to_string(),
            subnet: subnet.unwrap_or(DEFAULT_SUBNET),
            bridge,
            cgroup_facts: OnceLock::new(),
            rootfs_cache: PathBuf::from(crate::rootfs::DEFAULT_ROOTFS_CACHE),
        };
        let lock = network.lock()?;
        network.subnet = network.settle_subnet(subnet, &lock)?;
        network.check_subnet_is_free()?;
        network.ensure_client_key(&lock)?;
        drop(lock);
        Ok(network)
    }

    /// The network's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The network's subnet.
    pub fn subnet(&self) -> Subnet {
        self.subnet
    }

    /// The name of the network's bridge.
    pub fn bridge(&self) -> &str {
        &self.bridge
    }

    /// The state directory.
    pub fn state_dir(&self) -> &Path {
        self.state.root()
    }

    /// The private key (ed25519, no passphrase) every host of the network lets root log in
    /// with; the public key is next to it with `.pub` appended.
    pub fn client_key_path(&self) -> PathBuf {
        self.paths.client_key()
    }

    /// Where [`Network::client_key_path`] is for network `name` under `state_dir` (an absolute
    /// path), without opening the network.
    pub fn client_key_path_for(state_dir: &Path, name: &str) -> PathBuf {
        StateLayout::new(state_dir).network(name).client_key()
    }

    /// Creates a (namespace) host and waits until its sshd accepts connections.
    pub fn create_host(&self, spec: &HostSpec) -> Result<HostInfo> {
        host::create(self, spec, Isolation::Namespace)
    }

    /// Creates a host of `isolation` and waits until its sshd accepts connections. The first
    /// container host on a machine builds the base root file system first (debootstrap,
    /// about 45 s; see [`crate::rootfs`]); later ones find it in the cache.
    pub fn create_host_with(&self, spec: &HostSpec, isolation: Isolation) -> Result<HostInfo> {
        host::create(self, spec, isolation)
    }

    /// Creates a (namespace) host at address `ip` (a free host address of the subnet, not the
    /// gateway) and waits until its sshd accepts connections: for callers that decide addresses
    /// themselves (the alicloud emulator gives its instances the vSwitch's addresses).
    pub fn create_host_at(&self, spec: &HostSpec, ip: std::net::Ipv4Addr) -> Result<HostInfo> {
        host::create_at(self, spec, Isolation::Namespace, Some(ip), &crate::rootfs::BOOKWORM)
    }

    /// Creates a container host at address `ip` (as [`Network::create_host_at`]) whose root is
    /// an overlay over `base` (built into the cache first when it is not there; see
    /// [`crate::rootfs`]): for callers that need a base with more packages than
    /// [`BOOKWORM`](crate::rootfs::BOOKWORM), such as the alicloud emulator's instances that
    /// receive a release's components over the network.
    pub fn create_container_at(
        &self,
        spec: &HostSpec,
        ip: std::net::Ipv4Addr,
        base: &crate::rootfs::BaseRootfs,
    ) -> Result<HostInfo> {
        host::create_at(self, spec, Isolation::Container, Some(ip), base)
    }

    /// Lets root log in to host `id` with one more public key (an OpenSSH `authorized_keys`
    /// line), besides the network's client key; a key already there is not added twice.
    pub fn authorize_key(&self, id: &str, public_key: &str) -> Result<()> {
        names::check_host_id(id)?;
        let line = public_key.trim();
        if line.is_empty() || line.contains('\n') {
            return Err(Error::InvalidName { what: "public key", value: line.to_string(), reason: "must be one line" });
        }
        let path = self.state.host(id).outside(crate::layout::AUTHORIZED_KEYS);
        let existing = std::fs::read_to_string(&path).map_err(Error::io("reading", &path))?;
        if existing.lines().any(|known| known.trim() == line) {
            return Ok(());
        }
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(line);
        text.push('\n');
        std::fs::write(&path, text).map_err(Error::io("writing", &path))
    }

    /// Creates several (namespace) hosts concurrently; one result per spec, in order.
    pub fn create_hosts(&self, specs: &[HostSpec]) -> Vec<Result<HostInfo>> {
        self.create_hosts_with(specs, Isolation::Namespace)
    }

    /// Creates several hosts of `isolation` concurrently; one result per spec, in order.
    /// Container hosts waiting for the base root file system wait for one build.
    pub fn create_hosts_with(&self, specs: &[HostSpec], isolation: Isolation) -> Vec<Result<HostInfo>> {
        std::thread::scope(|scope| {
            let handles: Vec<_> =
                specs.iter().map(|spec| scope.spawn(move || self.create_host_with(spec, isolation))).collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        })
    }

    /// Removes a host entirely: processes, mounts, links, namespace, cgroups, directory; the
    /// bridge too when it was the network's last host. Removing an absent host is a no-op.
    pub fn destroy_host(&self, id: &str) -> Result<()> {
        names::check_host_id(id)?;
        let record: Option<HostRecord> = record::read(&self.state.host(id).record())?;
        if let Some(record) = &record
            && record.network != self.name
        {
            return Err(Error::WrongNetwork {
                id: id.to_string(),
                owner: record.network.clone(),
                network: self.name.clone(),
            });
        }
        let target = teardown::Target { state: &self.state, id, network: Some(&self.name), record: record.as_ref() };
        let result = teardown::destroy(&target);
        let lock = self.lock()?;
        self.rewrite_hosts_files(&lock)?;
        self.delete_bridge_if_unused(&lock)?;
        result
    }

    /// Whether the host runs, is gone, or is broken.
    pub fn status(&self, id: &str) -> Result<HostStatus> {
        names::check_host_id(id)?;
        let record: Option<HostRecord> = record::read(&self.state.host(id).record())?;
        Ok(host::status(&self.name, id, record.as_ref()))
    }

    /// The isolation of a recorded host of this network; `None` when it has no record of it.
    pub fn isolation(&self, id: &str) -> Result<Option<Isolation>> {
        names::check_host_id(id)?;
        let record: Option<HostRecord> = record::read(&self.state.host(id).record())?;
        Ok(record.filter(|record| record.network == self.name).map(|record| record.isolation))
    }

    /// Where container hosts' base root file systems are cached
    /// ([`DEFAULT_ROOTFS_CACHE`](crate::rootfs::DEFAULT_ROOTFS_CACHE)).
    pub fn rootfs_cache(&self) -> &Path {
        &self.rootfs_cache
    }

    /// What is known of a host, however broken or half made; `None` when this network has
    /// no record of it.
    pub fn inspect(&self, id: &str) -> Result<Option<HostReport>> {
        inspect::inspect(&self.state, &self.name, id)
    }

    /// What is recorded about a host, if it exists and has been started.
    pub fn host(&self, id: &str) -> Result<Option<HostInfo>> {
        names::check_host_id(id)?;
        let record: Option<HostRecord> = record::read(&self.state.host(id).record())?;
        match record {
            Some(record) if record.network == self.name => host::info(&self.state, &record).map(Some),
            _ => Ok(None),
        }
    }

    /// Every started host of the network, by address.
    pub fn hosts(&self) -> Result<Vec<HostInfo>> {
        let mut records = self.host_records()?;
        records.sort_by_key(|record| record.ip);
        records.iter().filter(|record| record.init.is_some()).map(|record| host::info(&self.state, record)).collect()
    }

    /// Destroys every host of the network, its bridge and its directory (client key included).
    pub fn destroy(self) -> Result<()> {
        let mut first_error = None;
        for record in self.host_records()? {
            if let Err(error) = self.destroy_host(&record.id) {
                first_error.get_or_insert(error);
            }
        }
        if let Some(error) = first_error {
            return Err(error);
        }
        let lock = self.lock()?;
        self.delete_bridge_if_unused(&lock)?;
        drop(lock);
        std::fs::remove_dir_all(&self.paths.dir).map_err(Error::io("removing", &self.paths.dir))
    }

    pub(crate) fn lock(&self) -> Result<NetworkLock> {
        NetworkLock::acquire(&self.paths.lock())
    }

    /// The records of this network's hosts.
    pub(crate) fn host_records(&self) -> Result<Vec<HostRecord>> {
        Ok(read_host_records(&self.state)?.into_iter().filter(|record| record.network == self.name).collect())
    }

    pub(crate) fn cgroup_facts(&self) -> &CgroupFacts {
        self.cgroup_facts.get_or_init(cgroups::read_facts)
    }

    /// Makes the bridge whole (create, address, up) if it is not.
    pub(crate) fn ensure_bridge(&self, _lock: &NetworkLock) -> Result<()> {
        let facts = self.bridge_facts()?;
        if !facts.exists {
            self.check_subnet_is_free()?;
        }
        for command in bridge::create_plan(&self.bridge, &self.subnet, facts) {
            runner::run(&command, COMMAND_TIMEOUT)?;
        }
        Ok(())
    }

    /// Deletes the bridge when no host of the network is recorded any more.
    pub(crate) fn delete_bridge_if_unused(&self, _lock: &NetworkLock) -> Result<bool> {
        if !self.host_records()?.is_empty() {
            return Ok(false);
        }
        let commands = bridge::delete_plan(&self.bridge, facts::link_exists(&self.bridge));
        for command in &commands {
            runner::run(command, COMMAND_TIMEOUT)?;
        }
        Ok(!commands.is_empty())
    }

    /// Rewrites every host's `/etc/hosts` in place with the network's current hosts.
    pub(crate) fn rewrite_hosts_files(&self, lock: &NetworkLock) -> Result<()> {
        rewrite_hosts_files(&self.state, &self.name, lock)
    }

    /// The subnet to use, recording it: the requested one, else the recorded one, else the
    /// default. Changing it is refused while hosts exist.
    fn settle_subnet(&self, requested: Option<Subnet>, _lock: &NetworkLock) -> Result<Subnet> {
        let recorded: Option<NetworkRecord> = record::read(&self.paths.record())?;
        let recorded_subnet = match &recorded {
            Some(recorded) => Some(recorded.subnet.parse::<Subnet>().map_err(|reason| Error::InvalidSubnet {
                value: recorded.subnet.clone(),
                reason: format!("recorded in {}: {reason}", self.paths.record().display()),
            })?),
            None => None,
        };
        let subnet = requested.or(recorded_subnet).unwrap_or(DEFAULT_SUBNET);
        subnet.check_host_network().map_err(|reason| Error::InvalidSubnet { value: subnet.to_string(), reason })?;
        if let Some(recorded_subnet) = recorded_subnet
            && recorded_subnet != subnet
            && !self.host_records()?.is_empty()
        {
            return Err(Error::SubnetChanged {
                network: self.name.clone(),
                recorded: recorded_subnet.to_string(),
                requested: subnet.to_string(),
            });
        }
        if recorded_subnet != Some(subnet) || recorded.as_ref().is_some_and(|recorded| recorded.bridge != self.bridge) {
            record::write(
                &self.paths.record(),
                &NetworkRecord::new(&self.name, subnet.to_string(), self.bridge.clone()),
            )?;
        }
        Ok(subnet)
    }

    /// Refuses a subnet that overlaps a route or address on the machine (except on this
    /// network's bridge) or another network recorded in the same state directory.
    fn check_subnet_is_free(&self) -> Result<()> {
        let route = CommandSpec::new("ip", &["-json", "-4", "route", "show", "table", "all"]);
        let address = CommandSpec::new("ip", &["-json", "-4", "address", "show"]);
        let mut used = subnet::routes_in_use(&runner::run(&route, COMMAND_TIMEOUT)?)
            .map_err(|reason| Error::UnexpectedOutput { command: route.to_string(), reason })?;
        used.extend(
            subnet::addresses_in_use(&runner::run(&address, COMMAND_TIMEOUT)?)
                .map_err(|reason| Error::UnexpectedOutput { command: address.to_string(), reason })?,
        );
        for other in read_network_records(&self.state)? {
            if other.name != self.name
                && let Ok(other_subnet) = other.subnet.parse::<Subnet>()
            {
                let device = format!("network {} of this state directory", other.name);
                used.push(subnet::UsedRange { subnet: other_subnet, device });
            }
        }
        match subnet::first_overlap(&self.subnet, &used, &self.bridge) {
            None => Ok(()),
            Some(range) => Err(Error::SubnetOverlap {
                network: self.name.clone(),
                subnet: self.subnet.to_string(),
                existing: range.subnet.to_string(),
                device: range.device.clone(),
            }),
        }
    }

    fn bridge_facts(&self) -> Result<BridgeFacts> {
        if !facts::link_exists(&self.bridge) {
            return Ok(BridgeFacts::default());
        }
        let flags = std::fs::read_to_string(format!("/sys/class/net/{}/flags", self.bridge)).unwrap_or_default();
        let flags = u32::from_str_radix(flags.trim().trim_start_matches("0x"), 16).unwrap_or(0);
        let show = CommandSpec::new("ip", &["-json", "-4", "address", "show", "dev", &self.bridge]);
        let addresses = runner::run(&show, COMMAND_TIMEOUT)?;
        Ok(BridgeFacts {
            exists: true,
            up: flags & 1 == 1,
            has_gateway: bridge::holds_address(&addresses, self.subnet.gateway(), self.subnet.prefix_len()),
        })
    }

    fn ensure_client_key(&self, _lock: &NetworkLock) -> Result<()> {
        let key = self.client_key_path();
        if key.exists() {
            return Ok(());
        }
        let public = key.with_extension("pub");
        let _ = std::fs::remove_file(&public);
        let key_text = key.to_string_lossy();
        let comment = format!("strata-{}", self.name);
        let keygen =
            CommandSpec::new("ssh-keygen", &["-q", "-t", "ed25519", "-N", "", "-C", &comment, "-f", &key_text]);
        runner::run(&keygen, COMMAND_TIMEOUT).map(drop)
    }

    /// The client public key line.
    pub(crate) fn client_public_key(&self) -> Result<String> {
        let path = PathBuf::from(format!("{}.pub", self.client_key_path().display()));
        std::fs::read_to_string(&path).map_err(Error::io("reading", &path))
    }
}

/// Rewrites the `/etc/hosts` of every host of `network` in place with its current hosts.
pub(crate) fn rewrite_hosts_files(state: &StateLayout, network: &str, _lock: &NetworkLock) -> Result<()> {
    let records: Vec<HostRecord> =
        read_host_records(state)?.into_iter().filter(|record| record.network == network).collect();
    let entries: Vec<_> = records.iter().map(|record| (record.ip, record.hostname.as_str())).collect();
    let text = hosts_file::render(&entries);
    for record in &records {
        let path = state.host(&record.id).outside("/etc/hosts");
        let file = std::fs::OpenOptions::new().write(true).truncate(true).open(&path);
        let result = file.and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
        match result {
            // Not made yet, or removed meanwhile.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(Error::Io { action: "rewriting", path, source: error }),
            Ok(()) => {}
        }
    }
    Ok(())
}
