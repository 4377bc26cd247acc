//! [`HostReport`]: what is known of one host from its record and the machine, even when it is
//! half made or broken. The provider's refresh and its adoption of interrupted creates read
//! hosts through this, so a host that no longer works is still described (and can be replaced)
//! instead of being forgotten.

use std::net::Ipv4Addr;

use crate::error::Result;
use crate::layout::{self, StateLayout};
use crate::record::{self, HostRecord};
use crate::status::HostStatus;
use crate::{fingerprint, host, names};

/// One host as found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostReport {
    pub id: String,
    pub hostname: String,
    pub ip: Ipv4Addr,
    pub instance_type: String,
    /// From the host key file; `None` when the key was never made or cannot be read.
    pub host_key_fingerprint: Option<String>,
    /// Whether the host runs; [`HostStatus::Gone`] here means its record and directory are
    /// left but nothing of it runs (after a reboot, say).
    pub status: HostStatus,
}

/// The report of host `id` of `network`; `None` when no record of it exists in this network.
pub(crate) fn inspect(state: &StateLayout, network: &str, id: &str) -> Result<Option<HostReport>> {
    names::check_host_id(id)?;
    let Some(record) = record::read::<HostRecord>(&state.host(id).record())? else { return Ok(None) };
    if record.network != network {
        return Ok(None);
    }
    let public_key_path = state.host(id).outside(&format!("{}.pub", layout::HOST_KEY));
    let host_key_fingerprint = std::fs::read_to_string(&public_key_path)
        .ok()
        .and_then(|line| fingerprint::ssh_host_key_fingerprint(&line).ok());
    let status = host::status(network, id, Some(&record));
    Ok(Some(HostReport {
        id: record.id,
        hostname: record.hostname,
        ip: record.ip,
        instance_type: record.instance_type,
        host_key_fingerprint,
        status,
    }))
}
