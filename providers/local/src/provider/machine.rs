//! The provider's blocking work on the machine, run off the async runtime: opening the
//! network (installing openssh-server first when allowed), creating or adopting a host, and
//! looking at one.

use strata_provider::{Progress, ProgressSink, ProviderError};
use strata_provider_sdk::log;

use super::errors::provider_error;
use super::host_resource::{KeyFacts, status_text};
use super::install;
use super::settings::Settings;
use crate::{Error, HostInfo, HostReport, HostSpec, HostStatus, Network, SSH_PORT, privileges};

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

/// Creates the host, or adopts the one an earlier attempt with the same token made if it
/// runs; whatever else such an attempt left is removed first.
pub(super) fn create_or_adopt(network: &Network, spec: &HostSpec) -> crate::Result<HostInfo> {
    if let Some(existing) = network.inspect(&spec.id)? {
        if existing.status == HostStatus::Running
            && existing.hostname == spec.hostname
            && let Some(info) = network.host(&spec.id)?
        {
            return Ok(info);
        }
        network.destroy_host(&spec.id)?;
    }
    network.create_host(spec)
}

/// The host's report and its `status` text; `None` when the network has no record of it.
pub(super) fn look(
    network: &Network,
    id: &str,
    recorded_key: Option<&str>,
) -> crate::Result<Option<(HostReport, String)>> {
    let Some(report) = network.inspect(id)? else { return Ok(None) };
    let presented = (report.status == HostStatus::Running)
        .then(|| crate::presented_host_key_fingerprint(report.ip, SSH_PORT).map_err(|error| error.to_string()));
    let key = KeyFacts {
        presented: presented.as_ref().map(|presented| presented.as_deref().map_err(String::as_str)),
        recorded: recorded_key,
        key_file: report.host_key_fingerprint.as_deref(),
    };
    let status = status_text(&report.status, &key);
    Ok(Some((report, status)))
}
