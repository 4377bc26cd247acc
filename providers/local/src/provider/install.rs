//! `auto_install = true`: installs openssh-server with apt when sshd is missing, and
//! systemd-container and debootstrap when a container host needs them (Debian; as root).
//! Bounded: a stuck apt is killed.

use std::time::Duration;

use crate::error::Result;
use crate::runner::{self, CommandSpec};

/// How long apt may take for one step.
const APT_TIMEOUT: Duration = Duration::from_secs(600);

/// The packages a host needs that may be missing on a fresh Debian machine.
pub const PACKAGES: &[&str] = &["openssh-server"];

/// Installs [`PACKAGES`]; refreshes the package lists once if the first attempt fails (a
/// fresh machine may have none).
pub fn install_packages() -> Result<()> {
    install(PACKAGES)
}

/// Installs Debian `packages` the same way.
pub fn install(packages: &[&str]) -> Result<()> {
    let mut args = vec!["-o", "DPkg::Lock::Timeout=120", "install", "-y", "-q", "--no-install-recommends"];
    args.extend(packages);
    let install = apt(&args);
    if runner::run(&install, APT_TIMEOUT).is_ok() {
        return Ok(());
    }
    runner::run(&apt(&["-o", "DPkg::Lock::Timeout=120", "update", "-q"]), APT_TIMEOUT)?;
    runner::run(&install, APT_TIMEOUT).map(drop)
}

/// `apt-get ARGS` without prompts: `env` sets the non-interactive frontend for it alone.
fn apt(args: &[&str]) -> CommandSpec {
    let mut all = vec!["DEBIAN_FRONTEND=noninteractive", "apt-get"];
    all.extend(args);
    CommandSpec::new("env", &all)
}
