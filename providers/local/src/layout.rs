//! Where things live (pure): the state directory's layout, and each host's own directories
//! with the paths they are bound over inside the host.
//!
//! ```text
//! STATE_DIR/networks/<network>/network.json   name, subnet, bridge
//! STATE_DIR/networks/<network>/lock           held while allocating addresses, changing the bridge, rewriting /etc/hosts
//! STATE_DIR/networks/<network>/client_ed25519[.pub]   the key every host of the network trusts
//! STATE_DIR/hosts/<id>/host.json              the host record (written before anything is made)
//! STATE_DIR/hosts/<id>/setup.sh               the script run as the host's first process
//! STATE_DIR/hosts/<id>/sshd.log               sshd's stderr (-e)
//! STATE_DIR/hosts/<id>/fs/...                 bound over /opt, /var/lib, /var/log, /root, /etc/ssh, /run,
//!                                             /etc/hosts, /etc/hostname, /etc/resolv.conf and /tmp
//!                                             inside the host; a container host's: the upper layer of
//!                                             its root overlay (its files at the same paths)
//! STATE_DIR/hosts/<id>/.#fs<random>           a running container host's overlay work directory (nspawn's)
//! /var/lib/strata/cache/rootfs/<suite>-<hash>   the base root file system of container hosts (crate::rootfs)
//! ```

use std::path::{Path, PathBuf};

/// Inside the host: sshd's configuration.
pub(crate) const SSHD_CONFIG: &str = "/etc/ssh/sshd_config";
/// Inside the host: the host key (the `.pub` next to it).
pub(crate) const HOST_KEY: &str = "/etc/ssh/ssh_host_ed25519_key";
/// Inside the host: sshd's pid file.
pub(crate) const PID_FILE: &str = "/run/sshd.pid";
/// Inside the host: the keys root may log in with.
pub(crate) const AUTHORIZED_KEYS: &str = "/root/.ssh/authorized_keys";
/// Inside the host: sshd's privilege separation directory.
pub(crate) const PRIVSEP_DIR: &str = "/run/sshd";
/// The sshd binary (from openssh-server).
pub(crate) const SSHD: &str = "/usr/sbin/sshd";

/// Whether a bind mount covers a directory or a single file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BindKind {
    Directory { mode: u32 },
    File,
}

/// The paths bound over inside every host, with the mode of their per-host source.
pub(crate) const BIND_TARGETS: &[(&str, BindKind)] = &[
    ("/opt", BindKind::Directory { mode: 0o755 }),
    ("/var/lib", BindKind::Directory { mode: 0o755 }),
    ("/var/log", BindKind::Directory { mode: 0o755 }),
    ("/root", BindKind::Directory { mode: 0o700 }),
    ("/etc/ssh", BindKind::Directory { mode: 0o755 }),
    ("/run", BindKind::Directory { mode: 0o755 }),
    ("/etc/hosts", BindKind::File),
    ("/etc/hostname", BindKind::File),
    ("/etc/resolv.conf", BindKind::File),
    ("/tmp", BindKind::Directory { mode: 0o1777 }),
];

/// The state directory.
#[derive(Clone, Debug)]
pub(crate) struct StateLayout {
    root: PathBuf,
}

impl StateLayout {
    pub(crate) fn new(root: impl Into<PathBuf>) -> StateLayout {
        StateLayout { root: root.into() }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn hosts_dir(&self) -> PathBuf {
        self.root.join("hosts")
    }

    pub(crate) fn host(&self, id: &str) -> HostPaths {
        HostPaths { dir: self.hosts_dir().join(id) }
    }

    pub(crate) fn networks_dir(&self) -> PathBuf {
        self.root.join("networks")
    }

    pub(crate) fn network(&self, name: &str) -> NetworkPaths {
        NetworkPaths { dir: self.networks_dir().join(name) }
    }
}

/// A network's directory.
#[derive(Clone, Debug)]
pub(crate) struct NetworkPaths {
    pub dir: PathBuf,
}

impl NetworkPaths {
    pub(crate) fn record(&self) -> PathBuf {
        self.dir.join("network.json")
    }

    pub(crate) fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }

    pub(crate) fn client_key(&self) -> PathBuf {
        self.dir.join("client_ed25519")
    }
}

/// A host's directory.
#[derive(Clone, Debug)]
pub(crate) struct HostPaths {
    pub dir: PathBuf,
}

impl HostPaths {
    pub(crate) fn record(&self) -> PathBuf {
        self.dir.join("host.json")
    }

    pub(crate) fn setup_script(&self) -> PathBuf {
        self.dir.join("setup.sh")
    }

    pub(crate) fn sshd_log(&self) -> PathBuf {
        self.dir.join("sshd.log")
    }

    /// The root of the per-host sources of the bind mounts; a container host's upper layer.
    pub(crate) fn fs(&self) -> PathBuf {
        self.dir.join("fs")
    }

    /// Where `inside` (an absolute path in the host, under a bind target) is kept outside.
    pub(crate) fn outside(&self, inside: &str) -> PathBuf {
        self.fs().join(inside.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let state = StateLayout::new("/var/lib/strata/local");
        let host = state.host("h1");
        assert_eq!(host.record(), Path::new("/var/lib/strata/local/hosts/h1/host.json"));
        assert_eq!(host.outside(HOST_KEY), Path::new("/var/lib/strata/local/hosts/h1/fs/etc/ssh/ssh_host_ed25519_key"));
        assert_eq!(state.network("lab").client_key(), Path::new("/var/lib/strata/local/networks/lab/client_ed25519"));
    }

    #[test]
    fn every_inside_file_is_under_a_bind_target() {
        for inside in [SSHD_CONFIG, HOST_KEY, PID_FILE, AUTHORIZED_KEYS, PRIVSEP_DIR] {
            assert!(BIND_TARGETS.iter().any(|(target, _)| Path::new(inside).starts_with(target)), "{inside}");
        }
    }
}
