//! Preconditions checked before anything is made: the capabilities namespaces and links need
//! (from `/proc/self/status`), and the programs the hosts run.

use std::path::Path;

use crate::error::{Error, Result};
use crate::layout;

const CAP_NET_ADMIN: u32 = 12;
const CAP_SYS_ADMIN: u32 = 21;

/// Programs container hosts need: systemd-nspawn runs them; debootstrap builds their base
/// root file system (needed only until it is cached).
const CONTAINER_TOOLS: &[(&str, &str, &str)] = &[
    ("systemd-nspawn", "/usr/bin/systemd-nspawn", "systemd-container"),
    ("debootstrap", "/usr/sbin/debootstrap", "debootstrap"),
];

/// Programs used besides sshd, with the Debian package holding each.
const TOOLS: &[(&str, &str, &str)] = &[
    ("ip", "/usr/sbin/ip", "iproute2"),
    ("unshare", "/usr/bin/unshare", "util-linux"),
    ("ssh-keygen", "/usr/bin/ssh-keygen", "openssh-client"),
    ("ssh-keyscan", "/usr/bin/ssh-keyscan", "openssh-client"),
    ("kill", "/usr/bin/kill", "procps"),
];

/// What is missing, from the text of `/proc/self/status`; `None` when all is there.
pub(crate) fn missing_privileges(status: &str) -> Option<String> {
    let field =
        |name: &str| status.lines().find_map(|line| line.strip_prefix(name).map(|rest| rest.trim().to_string()));
    let uid = field("Uid:").and_then(|uids| uids.split_whitespace().nth(1).map(str::to_string));
    let capabilities = field("CapEff:").and_then(|hex| u64::from_str_radix(&hex, 16).ok()).unwrap_or(0);
    let missing: Vec<&str> = [(CAP_SYS_ADMIN, "CAP_SYS_ADMIN"), (CAP_NET_ADMIN, "CAP_NET_ADMIN")]
        .into_iter()
        .filter(|(bit, _)| capabilities & (1 << bit) == 0)
        .map(|(_, name)| name)
        .collect();
    if missing.is_empty() {
        return None;
    }
    let uid = uid.unwrap_or_else(|| "?".to_string());
    Some(format!("this process (effective uid {uid}) lacks {}", missing.join(" and ")))
}

/// Checks that this process may make hosts (root: CAP_SYS_ADMIN and CAP_NET_ADMIN) and that
/// the programs hosts need are installed: [`Error::NotPrivileged`], [`Error::SshdMissing`] or
/// [`Error::ToolMissing`] otherwise. Reads only; changes nothing.
pub fn check() -> Result<()> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(Error::io("reading", "/proc/self/status"))?;
    if let Some(detail) = missing_privileges(&status) {
        return Err(Error::NotPrivileged { detail });
    }
    if !Path::new(layout::SSHD).exists() {
        return Err(Error::SshdMissing { path: layout::SSHD.into() });
    }
    for (program, usual_path, package) in TOOLS {
        if !Path::new(usual_path).exists() && !on_path(program) {
            return Err(Error::ToolMissing { program, package });
        }
    }
    Ok(())
}

/// Checks what container hosts need besides [`check`]: systemd-nspawn, and debootstrap
/// unless the base root file system is already in the cache ([`Error::ToolMissing`] names the
/// package). Reads only; changes nothing.
pub fn check_container() -> Result<()> {
    let built = crate::rootfs::BOOKWORM.is_built(std::path::Path::new(crate::rootfs::DEFAULT_ROOTFS_CACHE));
    for (program, usual_path, package) in CONTAINER_TOOLS {
        if *program == "debootstrap" && built {
            continue;
        }
        if !Path::new(usual_path).exists() && !on_path(program) {
            return Err(Error::ToolMissing { program, package });
        }
    }
    Ok(())
}

/// The Debian packages of the container tools missing here (for `auto_install`).
pub fn missing_container_packages() -> Vec<&'static str> {
    CONTAINER_TOOLS
        .iter()
        .filter(|(program, usual_path, _)| !Path::new(usual_path).exists() && !on_path(program))
        .map(|(_, _, package)| *package)
        .collect()
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_with_all_capabilities() {
        let status = "Name:\tx\nUid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n";
        assert_eq!(missing_privileges(status), None);
    }

    #[test]
    fn unprivileged_user() {
        let status = "Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n";
        assert_eq!(
            missing_privileges(status).as_deref(),
            Some("this process (effective uid 1000) lacks CAP_SYS_ADMIN and CAP_NET_ADMIN")
        );
    }

    #[test]
    fn root_without_net_admin() {
        let status = "Uid:\t0\t0\t0\t0\nCapEff:\t0000000000200000\n";
        assert_eq!(missing_privileges(status).as_deref(), Some("this process (effective uid 0) lacks CAP_NET_ADMIN"));
    }
}
