//! Creating a host ([`HostSpec`] in, [`HostInfo`] out) and reading its status. The order is
//! chosen for crash safety: the record is written (under the network lock, with the address
//! it reserves) before anything is made, so a half-made host can always be found and
//! removed; on any failure the host is torn down before the error is returned. A container
//! host's base root file system is made (or found in the cache) before that: a build that
//! fails or is interrupted leaves no host behind.

use std::net::Ipv4Addr;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::cgroups::{self, Limits};
use crate::create_plan::{CreateInput, CreatePlan, create_plan};
use crate::error::{Error, Result};
use crate::fingerprint::ssh_host_key_fingerprint;
use crate::instance_types::{self, InstanceType};
use crate::isolation::Isolation;
use crate::layout::{self, HostPaths, StateLayout};
use crate::network::Network;
use crate::record::{self, HostRecord};
use crate::runner::{self, COMMAND_TIMEOUT};
use crate::sshd_config::SSH_PORT;
use crate::state_dir::read_host_records;
use crate::status::{self, HostStatus, StatusFacts};
use crate::{facts, launchers, names, privileges, rootfs, teardown};

/// How long a new host's init may take to appear.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a new host's sshd may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// Per-attempt connect timeout when probing sshd.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

/// The host to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostSpec {
    /// Unique in the state directory: letters, digits, `-`, `_` (at most 64).
    pub id: String,
    /// Unique in the network (RFC 1123); every host of the network resolves it.
    pub hostname: String,
    /// A name from [`INSTANCE_TYPES`](crate::INSTANCE_TYPES), such as `local.c1m1`.
    pub instance_type: String,
}

/// A created host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostInfo {
    pub id: String,
    pub hostname: String,
    pub ip: Ipv4Addr,
    pub ssh_port: u16,
    /// The host key's fingerprint, `SHA256:<base64>` as `ssh-keygen -l` prints it.
    pub host_key_fingerprint: String,
    /// The host's init (PID 1 of its PID namespace: a namespace host's sshd, a container
    /// host's nspawn stub init, sshd's parent) as this machine sees it.
    pub init_pid: Option<u32>,
    pub instance_type: String,
    /// The limits actually enforced.
    pub limits: Limits,
}

/// Creates the host described by `spec` in `network`.
pub(crate) fn create(network: &Network, spec: &HostSpec, isolation: Isolation) -> Result<HostInfo> {
    create_at(network, spec, isolation, None, &rootfs::BOOKWORM)
}

/// Creates the host described by `spec` in `network`, at address `ip` when one is given (it
/// must be a free host address of the network's subnet, not its gateway); a container host's
/// root is an overlay over `base`.
pub(crate) fn create_at(
    network: &Network,
    spec: &HostSpec,
    isolation: Isolation,
    ip: Option<Ipv4Addr>,
    base: &rootfs::BaseRootfs,
) -> Result<HostInfo> {
    names::check_host_id(&spec.id)?;
    names::check_hostname(&spec.hostname)?;
    let instance_type = instance_types::instance_type(&spec.instance_type).ok_or_else(|| {
        Error::UnknownInstanceType { name: spec.instance_type.clone(), known: instance_types::known_names() }
    })?;
    let base = match isolation {
        Isolation::Namespace => None,
        Isolation::Container => {
            privileges::check_container()?;
            Some(base.ensure(&network.rootfs_cache)?)
        }
    };
    let mut record = reserve(network, spec, base, ip)?;
    let target =
        |record| teardown::Target { state: &network.state, id: &spec.id, network: Some(network.name()), record };
    match build_and_start(network, &mut record, instance_type) {
        Ok((info, launcher)) => {
            launchers::keep(launcher);
            Ok(info)
        }
        Err((error, launcher)) => {
            if let Some(launcher) = launcher {
                launchers::keep(launcher);
            }
            let _ = teardown::destroy(&target(Some(&record)));
            if let Ok(lock) = network.lock() {
                let _ = network.rewrite_hosts_files(&lock);
                let _ = network.delete_bridge_if_unused(&lock);
            }
            Err(error)
        }
    }
}

/// Under the network lock: checks the id and hostname are free, clears leftovers of an
/// earlier crash, allocates an address, makes sure the bridge is up and writes the record
/// (a container host's, with `base`, its base root file system).
fn reserve(
    network: &Network,
    spec: &HostSpec,
    base: Option<std::path::PathBuf>,
    requested: Option<Ipv4Addr>,
) -> Result<HostRecord> {
    let lock = network.lock()?;
    let records = read_host_records(&network.state)?;
    if let Some(existing) = records.iter().find(|record| record.id == spec.id) {
        return Err(Error::HostExists { id: spec.id.clone(), network: existing.network.clone() });
    }
    let mine: Vec<&HostRecord> = records.iter().filter(|record| record.network == network.name()).collect();
    if let Some(other) = mine.iter().find(|record| record.hostname.eq_ignore_ascii_case(&spec.hostname)) {
        return Err(Error::HostnameTaken {
            hostname: spec.hostname.clone(),
            other: other.id.clone(),
            network: network.name().to_string(),
        });
    }
    let host = network.state.host(&spec.id);
    let netns = names::netns_name(network.name(), &spec.id);
    if host.dir.exists() || facts::netns_inode(&netns).is_some() {
        let leftover =
            teardown::Target { state: &network.state, id: &spec.id, network: Some(network.name()), record: None };
        teardown::destroy(&leftover)?;
    }
    let taken: std::collections::BTreeSet<Ipv4Addr> = mine.iter().map(|record| record.ip).collect();
    let subnet = network.subnet();
    let ip = match requested {
        Some(ip) => {
            let usable = subnet.contains(ip)
                && ip != subnet.network()
                && ip != subnet.gateway()
                && ip != subnet.broadcast()
                && !taken.contains(&ip);
            if !usable {
                return Err(Error::AddressUnavailable {
                    address: ip.to_string(),
                    id: spec.id.clone(),
                    reason: format!(
                        "not a free host address of subnet {subnet} of network {} (the gateway is {})",
                        network.name(),
                        subnet.gateway()
                    ),
                });
            }
            ip
        }
        None => subnet.free_host_address(&taken).ok_or_else(|| Error::SubnetFull {
            network: network.name().to_string(),
            subnet: subnet.to_string(),
            id: spec.id.clone(),
        })?,
    };
    network.ensure_bridge(&lock)?;
    let veth = names::veth_name(network.name(), &spec.id);
    let mut record = HostRecord::new(&spec.id, network.name(), &spec.hostname, ip, &spec.instance_type, netns, veth);
    if let Some(base) = base {
        record.isolation = Isolation::Container;
        record.machine = Some(names::machine_name(network.name(), &spec.id));
        record.base = Some(base);
    }
    std::fs::create_dir(&host.dir).map_err(Error::io("creating", &host.dir))?;
    record::write(&host.record(), &record)?;
    Ok(record)
}

type Failure = (Error, Option<Child>);

/// Makes the host's files, cgroups and network, starts it and waits until sshd accepts.
fn build_and_start(
    network: &Network,
    record: &mut HostRecord,
    instance_type: &InstanceType,
) -> Result<(HostInfo, Child), Failure> {
    let host = network.state.host(&record.id);
    let cgroup_plan = cgroups::plan(network.cgroup_facts(), &record.netns, instance_type, record.isolation);
    record.cgroups = cgroup_plan.dirs.clone();
    record.memory_limit_bytes = cgroup_plan.limits.memory_bytes;
    record.vcpu_limit = cgroup_plan.limits.vcpus;
    let early = |error| (error, None);
    record::write(&host.record(), record).map_err(early)?;
    cgroups::apply(&cgroup_plan).map_err(early)?;

    let client_public_key = network.client_public_key().map_err(early)?;
    let peers = network.host_records().map_err(early)?;
    let network_hosts: Vec<(Ipv4Addr, &str)> = peers.iter().map(|peer| (peer.ip, peer.hostname.as_str())).collect();
    let plan = create_plan(&CreateInput {
        record,
        host: &host,
        bridge: network.bridge(),
        subnet: network.subnet(),
        client_public_key: &client_public_key,
        network_hosts: &network_hosts,
        cgroup_procs: cgroup_plan.dirs.iter().map(|dir| dir.join("cgroup.procs")).collect(),
    });
    materialize(&plan).map_err(early)?;
    for command in &plan.commands {
        runner::run(command, COMMAND_TIMEOUT).map_err(early)?;
    }

    let mut launcher = start(&plan, &host).map_err(early)?;
    // Recorded at once: a container's launcher (its nspawn supervisor) is outside the host's
    // network namespace, so a teardown knows of it only from the record.
    record.launcher = facts::process_id(launcher.id());
    if let Err(error) = record::write(&host.record(), record) {
        return Err((error, Some(launcher)));
    }
    let init = match wait_for_init(&record.id, &record.netns, &host, &mut launcher) {
        Ok(init) => init,
        Err(error) => return Err((error, Some(launcher))),
    };
    record.init = facts::process_id(init);
    if let Err(error) = record::write(&host.record(), record) {
        return Err((error, Some(launcher)));
    }
    let rewritten = network.lock().and_then(|lock| network.rewrite_hosts_files(&lock));
    if let Err(error) = rewritten {
        return Err((error, Some(launcher)));
    }
    if let Err(error) = wait_for_sshd(record, &host, &mut launcher) {
        return Err((error, Some(launcher)));
    }
    match info(&network.state, record) {
        Ok(info) => Ok((info, launcher)),
        Err(error) => Err((error, Some(launcher))),
    }
}

/// Makes the plan's directories and files.
fn materialize(plan: &CreatePlan) -> Result<()> {
    for (dir, mode) in &plan.dirs {
        match std::fs::create_dir(dir) {
            Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(Error::Io { action: "creating", path: dir.clone(), source: error });
            }
            _ => {}
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(*mode))
            .map_err(Error::io("setting permissions of", dir))?;
    }
    for file in &plan.files {
        std::fs::write(&file.path, &file.content).map_err(Error::io("writing", &file.path))?;
        std::fs::set_permissions(&file.path, std::fs::Permissions::from_mode(file.mode))
            .map_err(Error::io("setting permissions of", &file.path))?;
    }
    Ok(())
}

/// Starts the launcher in its own process group (a Ctrl-C meant for strata does not reach
/// the hosts), its output going to the host's `sshd.log`.
fn start(plan: &CreatePlan, host: &HostPaths) -> Result<Child> {
    let log_path = host.sshd_log();
    let log = std::fs::File::create(&log_path).map_err(Error::io("creating", &log_path))?;
    let log_err = log.try_clone().map_err(Error::io("opening", &log_path))?;
    plan.launch
        .command()
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .process_group(0)
        .spawn()
        .map_err(|source| Error::Spawn { program: plan.launch.to_string(), source })
}

/// Waits for the host's init to appear: the launcher's child that is PID 1 of a new PID
/// namespace, in the host's network namespace (nspawn forks a helper first, which is
/// neither); returns its pid.
fn wait_for_init(id: &str, netns: &str, host: &HostPaths, launcher: &mut Child) -> Result<u32> {
    let launcher_pid = launcher.id();
    let mut exited = false;
    let found = runner::poll(INIT_TIMEOUT, || {
        let netns_inode = facts::netns_inode(netns);
        let init = facts::children_of(launcher_pid).into_iter().find(|child| {
            facts::innermost_pid(*child) == Some(1)
                && netns_inode.is_some()
                && facts::process_netns_inode(*child) == netns_inode
        });
        if init.is_some() {
            return init;
        }
        exited = matches!(launcher.try_wait(), Ok(Some(_)));
        exited.then_some(0)
    });
    match found {
        Some(init) if !exited => Ok(init),
        _ => Err(not_ready(
            id,
            if exited { "the launcher exited" } else { "no init process appeared" },
            INIT_TIMEOUT,
            host,
        )),
    }
}

/// Waits until sshd accepts TCP connections on the host's address.
fn wait_for_sshd(record: &HostRecord, host: &HostPaths, launcher: &mut Child) -> Result<()> {
    let mut exited = false;
    let ready = runner::poll(READY_TIMEOUT, || {
        if facts::tcp_accepting(record.ip, SSH_PORT, CONNECT_TIMEOUT) {
            return Some(true);
        }
        exited = matches!(launcher.try_wait(), Ok(Some(_)));
        exited.then_some(false)
    });
    match ready {
        Some(true) => Ok(()),
        _ => {
            let what = if exited { "sshd exited" } else { "sshd did not accept connections on port 22" };
            Err(not_ready(&record.id, what, READY_TIMEOUT, host))
        }
    }
}

fn not_ready(id: &str, what: &str, waited: Duration, host: &HostPaths) -> Error {
    let log = std::fs::read_to_string(host.sshd_log()).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(10).collect();
    let log = if tail.is_empty() {
        String::new()
    } else {
        let lines: Vec<&str> = tail.into_iter().rev().collect();
        format!("; {}:\n{}", host.sshd_log().display(), lines.join("\n"))
    };
    Error::NotReady { id: id.to_string(), what: what.to_string(), waited, log }
}

/// The info of a recorded host.
pub(crate) fn info(state: &StateLayout, record: &HostRecord) -> Result<HostInfo> {
    let public_key_path = state.host(&record.id).outside(&format!("{}.pub", layout::HOST_KEY));
    let public_key = std::fs::read_to_string(&public_key_path).map_err(Error::io("reading", &public_key_path))?;
    let host_key_fingerprint = ssh_host_key_fingerprint(&public_key)
        .map_err(|reason| Error::InvalidPublicKey { path: public_key_path, reason })?;
    Ok(HostInfo {
        id: record.id.clone(),
        hostname: record.hostname.clone(),
        ip: record.ip,
        ssh_port: SSH_PORT,
        host_key_fingerprint,
        init_pid: record.init.map(|init| init.pid),
        instance_type: record.instance_type.clone(),
        limits: Limits { memory_bytes: record.memory_limit_bytes, vcpus: record.vcpu_limit },
    })
}

/// The status of host `id` of `network`.
pub(crate) fn status(network: &str, id: &str, record: Option<&HostRecord>) -> HostStatus {
    let netns = record.map(|record| record.netns.clone()).unwrap_or_else(|| names::netns_name(network, id));
    let netns_inode = facts::netns_inode(&netns);
    let init = record.and_then(|record| record.init).filter(|init| facts::is_running(*init));
    let init_in_netns = match (init, netns_inode) {
        (Some(init), Some(inode)) => facts::process_netns_inode(init.pid) == Some(inode),
        _ => false,
    };
    let sshd_accepting =
        init_in_netns && record.is_some_and(|record| facts::tcp_accepting(record.ip, SSH_PORT, CONNECT_TIMEOUT));
    status::decide(StatusFacts {
        netns_exists: netns_inode.is_some(),
        init_alive: init.is_some(),
        init_in_netns,
        sshd_accepting,
        container: record.is_some_and(|record| record.isolation == Isolation::Container),
    })
}
