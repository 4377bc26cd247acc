//! What creating a host does (pure): from the host's record and its network, the directories
//! and files to make, the commands that make its key and network, and the command that
//! starts it. `host.rs` carries the plan out.
//!
//! A namespace host's files go to the sources of its bind mounts (`fs/` mirrors the paths
//! they are bound over), and a setup script starts it. A container host's `fs/` is the upper
//! layer of its root overlay, so the same paths under it are simply its files; it needs only
//! those directories, and nspawn starts it ([`crate::nspawn`]).

use std::fmt;
use std::path::PathBuf;

use crate::isolation::Isolation;
use crate::layout::{self, BIND_TARGETS, BindKind, HostPaths};
use crate::nspawn::{self, ContainerLaunch};
use crate::record::HostRecord;
use crate::runner::CommandSpec;
use crate::subnet::Subnet;
use crate::{hosts_file, setup_script, sshd_config};

/// Everything the plan needs to know.
#[derive(Clone, Debug)]
pub(crate) struct CreateInput<'a> {
    pub record: &'a HostRecord,
    pub host: &'a HostPaths,
    pub bridge: &'a str,
    pub subnet: Subnet,
    /// The network's client public key line (goes into `authorized_keys`).
    pub client_public_key: &'a str,
    /// `(address, hostname)` of every host of the network, this one included.
    pub network_hosts: &'a [(std::net::Ipv4Addr, &'a str)],
    /// The `cgroup.procs` files the host joins.
    pub cgroup_procs: Vec<PathBuf>,
}

/// A file to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileSpec {
    pub path: PathBuf,
    pub content: String,
    pub mode: u32,
}

/// The plan: carried out in field order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CreatePlan {
    /// Directories with their modes, parents first.
    pub dirs: Vec<(PathBuf, u32)>,
    pub files: Vec<FileSpec>,
    pub commands: Vec<CommandSpec>,
    /// Started, not waited for: its process becomes the host.
    pub launch: CommandSpec,
}

/// The plan for creating `input.record`'s host.
pub(crate) fn create_plan(input: &CreateInput<'_>) -> CreatePlan {
    let record = input.record;
    let host = input.host;
    let container = record.isolation == Isolation::Container;
    let mut dirs = vec![(host.dir.clone(), 0o755), (host.fs(), 0o755)];
    let mut files = Vec::new();
    if container {
        // Over the base's directories of the same modes.
        dirs.push((host.outside("/etc/ssh"), 0o755));
        dirs.push((host.outside("/root"), 0o700));
    } else {
        for (target, kind) in BIND_TARGETS {
            match kind {
                BindKind::Directory { mode } => dirs.push((host.outside(target), *mode)),
                BindKind::File => {}
            }
        }
    }
    dirs.push((host.outside("/root/.ssh"), 0o700));
    if !container {
        dirs.push((host.outside(layout::PRIVSEP_DIR), 0o755));
    }
    let ancestors: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|(dir, _)| dir.ancestors().skip(1).take_while(|ancestor| ancestor.starts_with(&host.dir)))
        .map(PathBuf::from)
        .collect();
    for ancestor in ancestors {
        if !dirs.iter().any(|(dir, _)| *dir == ancestor) {
            dirs.push((ancestor, 0o755));
        }
    }
    dirs.sort_by_key(|(path, _)| path.components().count());

    let file = |inside: &str, content: String, mode: u32| FileSpec { path: host.outside(inside), content, mode };
    files.push(file("/etc/hostname", format!("{}\n", record.hostname), 0o644));
    files.push(file("/etc/hosts", hosts_file::render(input.network_hosts), 0o644));
    files.push(file("/etc/resolv.conf", hosts_file::RESOLV_CONF.to_string(), 0o644));
    files.push(file(layout::SSHD_CONFIG, sshd_config::render(record.ip), 0o644));
    files.push(file(layout::AUTHORIZED_KEYS, format!("{}\n", input.client_public_key.trim()), 0o600));
    if !container {
        let binds = setup_script::binds(host);
        files.push(FileSpec {
            path: host.setup_script(),
            content: setup_script::render(&record.id, &record.hostname, &binds),
            mode: 0o755,
        });
    }

    let host_key = host.outside(layout::HOST_KEY).to_string_lossy().into_owned();
    let comment = format!("root@{}", record.hostname);
    let netns = record.netns.as_str();
    let veth = record.veth.as_str();
    let commands = vec![
        CommandSpec::new("ssh-keygen", &["-q", "-t", "ed25519", "-N", "", "-C", &comment, "-f", &host_key]),
        CommandSpec::new("ip", &["netns", "add", netns]),
        CommandSpec::new("ip", &["-batch", "-"]).with_stdin(format!(
            "link add {veth} type veth peer name eth0 address {mac} netns {netns}\nlink set {veth} master {bridge} up\n",
            mac = mac_address(record.ip),
            bridge = input.bridge
        )),
        CommandSpec::new("ip", &["-netns", netns, "-batch", "-"]).with_stdin(format!(
            "link set lo up\naddress add {ip}/{prefix_len} dev eth0\nlink set eth0 up\nroute add default via {gateway}\n",
            ip = record.ip,
            prefix_len = input.subnet.prefix_len(),
            gateway = input.subnet.gateway(),
        )),
    ];
    let launch = match (container, &record.machine, &record.base) {
        (true, Some(machine), Some(base)) => {
            let upper = host.fs();
            let hosts_file = host.outside("/etc/hosts");
            let launch = ContainerLaunch {
                machine,
                hostname: &record.hostname,
                base,
                upper: &upper,
                netns,
                hosts_file: &hosts_file,
            };
            nspawn::launch_command(&input.cgroup_procs, &launch)
        }
        _ => setup_script::launch_command(&input.cgroup_procs, netns, &host.setup_script()),
    };
    CreatePlan { dirs, files, commands, launch }
}

/// The MAC address of a host's `eth0`, a function of its IP address (locally administered,
/// unicast: `02:5a` and the address's four bytes). A host made on an address a destroyed host
/// had answers with the same MAC, so neighbour entries that the machine and the other hosts
/// still hold for the address stay right; with a random MAC they would point at a link that
/// is gone until they expire (up to a minute), and the new host would be unreachable.
pub(crate) fn mac_address(ip: std::net::Ipv4Addr) -> String {
    let [a, b, c, d] = ip.octets();
    format!("02:5a:{a:02x}:{b:02x}:{c:02x}:{d:02x}")
}

impl fmt::Display for CreatePlan {
    /// One line per step; file contents are shown only for the short files (the long ones
    /// have golden tests of their own).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (dir, mode) in &self.dirs {
            writeln!(f, "mkdir -m {mode:o} {}", dir.display())?;
        }
        for file in &self.files {
            let short = file.content.lines().count() <= 1;
            let content = if short { format!(" = {:?}", file.content) } else { String::new() };
            writeln!(f, "write -m {:o} {}{content}", file.mode, file.path.display())?;
        }
        for command in &self.commands {
            writeln!(f, "run {command}")?;
        }
        writeln!(f, "start {}", self.launch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::StateLayout;

    #[test]
    fn golden() {
        check_golden(Isolation::Namespace, "create-plan.golden");
    }

    #[test]
    fn container_golden() {
        check_golden(Isolation::Container, "create-plan-container.golden");
    }

    fn check_golden(isolation: Isolation, name: &str) {
        let host = StateLayout::new("/var/lib/strata/local").host("h1");
        let mut record = HostRecord::new(
            "h1",
            "lab",
            "core-0",
            "10.231.0.2".parse().unwrap(),
            "local.c1m1",
            "strata.lab.h1".into(),
            "st0123456789abc".into(),
        );
        if isolation == Isolation::Container {
            record.isolation = isolation;
            record.machine = Some("strata-0123456789abcdef".into());
            record.base = Some("/var/lib/strata/cache/rootfs/bookworm-0123456789ab".into());
        }
        let network_hosts = [("10.231.0.2".parse().unwrap(), "core-0")];
        let input = CreateInput {
            record: &record,
            host: &host,
            bridge: "strata-br0a1b2c",
            subnet: "10.231.0.0/24".parse().unwrap(),
            client_public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMgRctI9GD7PoVuMB90OQ0Mj6qdj5zVFV2zp+CrAXyoL strata-lab",
            network_hosts: &network_hosts,
            cgroup_procs: vec!["/sys/fs/cgroup/cpu/strata.lab.h1/cgroup.procs".into()],
        };
        let plan = create_plan(&input).to_string();
        let golden = format!("{}/../../testdata/local-hosts/{name}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("STRATA_UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &plan).unwrap();
        }
        assert_eq!(plan, std::fs::read_to_string(&golden).unwrap(), "{name}");
    }

    #[test]
    fn mac_addresses_follow_ip_addresses() {
        assert_eq!(mac_address("10.231.0.2".parse().unwrap()), "02:5a:0a:e7:00:02");
        assert_eq!(mac_address("192.168.200.254".parse().unwrap()), "02:5a:c0:a8:c8:fe");
    }
}
