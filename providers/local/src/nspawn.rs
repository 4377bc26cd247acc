//! How a container host starts (pure): the systemd-nspawn command that runs it, and the
//! runtime files nspawn keeps on the machine while it runs.
//!
//! The host's root is an overlay: the base root file system ([`crate::rootfs`]) below, the
//! host's own directory (`STATE_DIR/hosts/<id>/fs`, where its sshd configuration, keys and
//! `/etc/hosts` are written beforehand) above, so everything the host changes lands in its
//! directory and the base is shared read-only. nspawn runs without systemd or D-Bus on the
//! machine (`--register=no --keep-unit`), joins the host's network namespace
//! (`--network-namespace-path`), leaves `/etc/resolv.conf` and `/etc/localtime` as the host's
//! tree has them, and runs its stub init as PID 1 with sshd as PID 2 (`--as-pid2`); killing the
//! stub init from outside ends the container at once (its supervisor, the `systemd-nspawn`
//! process, then cleans up and exits in well under a second). `SYSTEMD_NSPAWN_LOCK=0`: nspawn
//! would otherwise lock the base directory exclusively, allowing one host per base.

use std::path::{Path, PathBuf};

use crate::layout;
use crate::runner::CommandSpec;
use crate::setup_script::in_cgroups;

/// The program (Debian package systemd-container).
pub(crate) const NSPAWN: &str = "systemd-nspawn";
/// Where nspawn keeps runtime files per machine.
const RUNTIME_DIR: &str = "/run/systemd/nspawn";

/// What the nspawn command needs to know.
#[derive(Clone, Debug)]
pub(crate) struct ContainerLaunch<'a> {
    pub machine: &'a str,
    pub hostname: &'a str,
    /// The base root file system (lower layer).
    pub base: &'a Path,
    /// The host's directory (upper layer).
    pub upper: &'a Path,
    pub netns: &'a str,
    /// The host's `/etc/hosts`, rewritten in place whenever the network changes: bound over
    /// the overlay's, so it is never changed under a mounted overlay.
    pub hosts_file: &'a Path,
}

/// The first command inside the container (PID 2): sshd, in the foreground, logging to
/// standard error (the host's `sshd.log`).
pub(crate) fn init_command() -> String {
    format!("mkdir -p {} && exec {} -D -e -f {}", layout::PRIVSEP_DIR, layout::SSHD, layout::SSHD_CONFIG)
}

/// nspawn's arguments.
pub(crate) fn arguments(launch: &ContainerLaunch<'_>) -> Vec<String> {
    let base = escape(launch.base);
    vec![
        "--quiet".to_string(),
        "--register=no".to_string(),
        "--keep-unit".to_string(),
        "--as-pid2".to_string(),
        format!("--machine={}", launch.machine),
        format!("--hostname={}", launch.hostname),
        format!("--directory={}", launch.base.display()),
        format!("--overlay={base}:{}:/", escape(launch.upper)),
        format!("--network-namespace-path=/run/netns/{}", launch.netns),
        format!("--bind={}:/etc/hosts", escape(launch.hosts_file)),
        "--resolv-conf=off".to_string(),
        "--timezone=off".to_string(),
        "--link-journal=no".to_string(),
        "--console=pipe".to_string(),
        "/bin/sh".to_string(),
        "-c".to_string(),
        init_command(),
    ]
}

/// The command that starts the host: it joins the host's cgroups and `exec`s nspawn, which
/// stays the launcher (the container's supervisor) until the container ends.
pub(crate) fn launch_command(cgroup_procs: &[PathBuf], launch: &ContainerLaunch<'_>) -> CommandSpec {
    let arguments = arguments(launch);
    let mut words = vec!["exec", "env", "SYSTEMD_NSPAWN_LOCK=0", NSPAWN];
    words.extend(arguments.iter().map(String::as_str));
    in_cgroups(cgroup_procs, &words)
}

/// The runtime directories nspawn makes for `machine`; it removes them when it exits, but a
/// supervisor that was killed leaves them.
pub(crate) fn runtime_dirs(machine: &str) -> Vec<PathBuf> {
    ["propagate", "unix-export"].iter().map(|kind| Path::new(RUNTIME_DIR).join(kind).join(machine)).collect()
}

/// A path in nspawn's `SOURCE:DEST` syntax: `:` and `\` escaped with a backslash.
fn escape(path: &Path) -> String {
    path.to_string_lossy().replace('\\', r"\\").replace(':', r"\:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_golden() {
        let launch = ContainerLaunch {
            machine: "strata-0123456789abcdef",
            hostname: "core-0",
            base: Path::new("/var/lib/strata/cache/rootfs/bookworm-0123456789ab"),
            upper: Path::new("/var/lib/strata/local/hosts/h1/fs"),
            netns: "strata.lab.h1",
            hosts_file: Path::new("/var/lib/strata/local/hosts/h1/fs/etc/hosts"),
        };
        let procs = [
            PathBuf::from("/sys/fs/cgroup/memory/strata.lab.h1/cgroup.procs"),
            PathBuf::from("/sys/fs/cgroup/systemd/strata.lab.h1/cgroup.procs"),
        ];
        let text = launch_command(&procs, &launch).to_string() + "\n";
        let golden = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/local-hosts/nspawn-launch.golden");
        if std::env::var_os("STRATA_UPDATE_GOLDEN").is_some() {
            std::fs::write(golden, &text).unwrap();
        }
        assert_eq!(text, std::fs::read_to_string(golden).unwrap());
    }

    #[test]
    fn paths_with_colons_are_escaped() {
        assert_eq!(escape(Path::new("/srv/a:b\\c")), r"/srv/a\:b\\c");
        assert_eq!(escape(Path::new("/var/lib/strata/local")), "/var/lib/strata/local");
    }

    #[test]
    fn runtime_directories() {
        assert_eq!(
            runtime_dirs("strata-0123456789abcdef"),
            [
                PathBuf::from("/run/systemd/nspawn/propagate/strata-0123456789abcdef"),
                PathBuf::from("/run/systemd/nspawn/unix-export/strata-0123456789abcdef")
            ]
        );
    }
}
