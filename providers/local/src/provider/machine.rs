//! The provider's blocking work on the machine, run off the async runtime: opening the
//! network (installing openssh-server first when allowed), readying what container hosts need
//! (their packages when allowed, the base root file system), creating or adopting a host, and
//! looking at one.

use strata_provider::{Progress, ProgressSink, ProviderError};
use strata_provider_sdk::log;

use super::errors::provider_error;
use super::host_resource::{KeyFacts, status_text};
use super::install;
use super::settings::Settings;
use crate::{BOOKWORM, Error, HostInfo, HostReport, HostSpec, HostStatus, Isolation, Network, SSH_PORT, privileges};

/// Opens the provider's network.
pub(super) fn open_network(settings: &Settings, progress: &ProgressSink) -> Result<Network, ProviderError> {
    match privileges::check() {
        Err(Error::SshdMissing { .. }) if settings.auto_install => {
            progress.report(Progress::message("installing openssh-server (auto_install)"));
            log::info("sshd is missing; installing openssh-server with apt-get (auto_install = true)");
            install::install_packages().map_err(|error| {
                ProviderError::new(format!("auto_install could not install openssh-server: {error}"))
            })?;
        }
        Err(error) => return Err(provider_error(error, settings)),
        Ok(()) => {}
    }
    Network::open(&settings.state_dir, &settings.network, settings.subnet)
        .map_err(|error| provider_error(error, settings))
}

/// Readies the machine for container hosts: installs systemd-container and debootstrap when
/// missing and allowed, then builds the base root file system unless it is cached (the one
/// slow step, reported as progress).
pub(super) fn prepare_containers(
    network: &Network,
    settings: &Settings,
    progress: &ProgressSink,
) -> Result<(), ProviderError> {
    let missing = privileges::missing_container_packages();
    if !missing.is_empty() && settings.auto_install {
        progress.report(Progress::message(format!("installing {} (auto_install)", missing.join(" "))));
        log::info(&format!("installing {} with apt-get (auto_install = true)", missing.join(" ")));
        install::install(&missing).map_err(|error| {
            ProviderError::new(format!("auto_install could not install {}: {error}", missing.join(" ")))
        })?;
    }
    privileges::check_container().map_err(|error| provider_error(error, settings))?;
    let cache = network.rootfs_cache();
    if !BOOKWORM.is_built(cache) {
        let message = format!(
            "building the base root file system of container hosts in {} (debootstrap {}, first use only: \
             about a minute)",
            BOOKWORM.dir(cache).display(),
            BOOKWORM.suite
        );
        progress.report(Progress::message(message.clone()));
        log::info(&message);
    }
    BOOKWORM.ensure(cache).map(drop).map_err(|error| provider_error(error, settings))
}

/// Creates the host, or adopts the one an earlier attempt with the same token made if it
/// runs (with the same hostname and isolation); whatever else such an attempt left is
/// removed first.
pub(super) fn create_or_adopt(network: &Network, spec: &HostSpec, isolation: Isolation) -> crate::Result<HostInfo> {
    if let Some(existing) = network.inspect(&spec.id)? {
        if existing.status == HostStatus::Running
            && existing.hostname == spec.hostname
            && network.isolation(&spec.id)? == Some(isolation)
            && let Some(info) = network.host(&spec.id)?
        {
            return Ok(info);
        }
        network.destroy_host(&spec.id)?;
    }
    network.create_host_with(spec, isolation)
}

/// The host's report, isolation and `status` text; `None` when the network has no record of it.
pub(super) fn look(
    network: &Network,
    id: &str,
    recorded_key: Option<&str>,
) -> crate::Result<Option<(HostReport, Isolation, String)>> {
    let Some(report) = network.inspect(id)? else { return Ok(None) };
    let isolation = network.isolation(id)?.unwrap_or_default();
    let presented = (report.status == HostStatus::Running)
        .then(|| crate::presented_host_key_fingerprint(report.ip, SSH_PORT).map_err(|error| error.to_string()));
    let key = KeyFacts {
        presented: presented.as_ref().map(|presented| presented.as_deref().map_err(String::as_str)),
        recorded: recorded_key,
        key_file: report.host_key_fingerprint.as_deref(),
    };
    let status = status_text(&report.status, &key);
    Ok(Some((report, isolation, status)))
}
