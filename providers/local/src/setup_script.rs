//! How a host starts (pure): the command that enters its cgroups and network namespace and
//! makes its UTS, mount and PID namespaces, and the setup script run there, which sets the
//! hostname, binds the per-host directories and `exec`s sshd as the host's PID 1.
//!
//! Bind order matters twice. A bind whose target is an ancestor of the per-host sources
//! (`/var/lib` with the default state directory under `/var/lib`) hides every source not yet
//! bound, so such binds go last; among the rest `/tmp` goes last, so that nothing is ever
//! looked up under a `/tmp` that was just replaced.

use std::path::{Path, PathBuf};

use crate::layout::{self, BIND_TARGETS, HostPaths};
use crate::runner::{CommandSpec, shell_quote};

/// One bind mount: a per-host source over a path of the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bind {
    pub source: PathBuf,
    pub target: &'static str,
}

/// The host's bind mounts, in the order they must be made.
pub(crate) fn binds(host: &HostPaths) -> Vec<Bind> {
    let sources = host.fs();
    let mut binds: Vec<Bind> =
        BIND_TARGETS.iter().map(|(target, _)| Bind { source: host.outside(target), target }).collect();
    // Stable sort: (hides the sources, is /tmp) decide; otherwise the catalog's order stays.
    binds.sort_by_key(|bind| (sources.starts_with(bind.target), bind.target == "/tmp"));
    binds
}

/// The setup script: run by `/bin/sh` as the first process of the host's namespaces.
pub(crate) fn render(id: &str, hostname: &str, binds: &[Bind]) -> String {
    let mut lines = vec![
        "#!/bin/sh".to_string(),
        format!("# Written by strata's local provider: the first process of host {id}. It ends by"),
        "# exec'ing sshd, which stays the host's PID 1; killing it ends the host.".to_string(),
        "set -eu".to_string(),
        format!("echo {} > /proc/sys/kernel/hostname", shell_quote(hostname)),
    ];
    for bind in binds {
        lines.push(format!(
            "mount --bind {} {}",
            shell_quote(&bind.source.to_string_lossy()),
            shell_quote(bind.target)
        ));
    }
    lines.push(format!("mkdir -p {}", layout::PRIVSEP_DIR));
    lines.push(format!("exec {} -D -e -f {}", layout::SSHD, layout::SSHD_CONFIG));
    lines.join("\n") + "\n"
}

/// The command that starts the host: it moves itself into the host's cgroups (each a
/// `cgroup.procs` file), enters the network namespace and runs `script` in new UTS, mount and
/// PID namespaces (mounts private, a fresh `/proc`).
///
/// The cgroups are joined here, before `ip netns exec`, because `ip netns exec` mounts a fresh
/// `/sys` in which the cgroup file systems are not mounted.
pub(crate) fn launch_command(cgroup_procs: &[PathBuf], netns: &str, script: &Path) -> CommandSpec {
    let unshare = [
        "exec",
        "ip",
        "netns",
        "exec",
        netns,
        "unshare",
        "--uts",
        "--mount",
        "--pid",
        "--fork",
        "--mount-proc",
        "--propagation",
        "private",
        "/bin/sh",
        &script.to_string_lossy(),
    ];
    in_cgroups(cgroup_procs, &unshare)
}

/// `/bin/sh -c` moving itself into the cgroups (each a `cgroup.procs` file), then running
/// `words` (which start with `exec`): every process the command makes starts in them.
pub(crate) fn in_cgroups(cgroup_procs: &[PathBuf], words: &[&str]) -> CommandSpec {
    let mut shell = String::new();
    for procs in cgroup_procs {
        shell.push_str(&format!("echo 0 > {} && ", shell_quote(&procs.to_string_lossy())));
    }
    shell.push_str(&words.iter().map(|word| shell_quote(word)).collect::<Vec<_>>().join(" "));
    CommandSpec::new("/bin/sh", &["-c", &shell])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::StateLayout;

    fn targets(state_dir: &str) -> Vec<&'static str> {
        binds(&StateLayout::new(state_dir).host("h1")).into_iter().map(|bind| bind.target).collect()
    }

    #[test]
    fn binds_that_hide_the_sources_go_last() {
        assert_eq!(
            targets("/var/lib/strata/local"),
            [
                "/opt",
                "/var/log",
                "/root",
                "/etc/ssh",
                "/run",
                "/etc/hosts",
                "/etc/hostname",
                "/etc/resolv.conf",
                "/tmp",
                "/var/lib"
            ]
        );
        assert_eq!(
            targets("/root/strata"),
            [
                "/opt",
                "/var/lib",
                "/var/log",
                "/etc/ssh",
                "/run",
                "/etc/hosts",
                "/etc/hostname",
                "/etc/resolv.conf",
                "/tmp",
                "/root"
            ]
        );
        assert_eq!(
            targets("/srv/strata"),
            [
                "/opt",
                "/var/lib",
                "/var/log",
                "/root",
                "/etc/ssh",
                "/run",
                "/etc/hosts",
                "/etc/hostname",
                "/etc/resolv.conf",
                "/tmp"
            ]
        );
    }

    #[test]
    fn script_golden() {
        let host = StateLayout::new("/var/lib/strata/local").host("h1");
        let script = render("h1", "core-0", &binds(&host));
        assert_eq!(script, include_str!("../../../testdata/local-hosts/setup.sh.golden"));
    }

    #[test]
    fn launch() {
        let procs = [PathBuf::from("/sys/fs/cgroup/memory/strata.lab.h1/cgroup.procs")];
        let command = launch_command(&procs, "strata.lab.h1", Path::new("/var/lib/strata/local/hosts/h1/setup.sh"));
        assert_eq!(
            command.to_string(),
            "/bin/sh -c 'echo 0 > /sys/fs/cgroup/memory/strata.lab.h1/cgroup.procs && exec ip netns exec \
             strata.lab.h1 unshare --uts --mount --pid --fork --mount-proc --propagation private /bin/sh \
             /var/lib/strata/local/hosts/h1/setup.sh'"
        );
    }
}
