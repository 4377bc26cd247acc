//! [`gc`] and [`gc_network`]: remove every host the caller's state does not know, including
//! the remains of crashed creates, and the bridges of networks left without hosts. [`gc`]
//! covers a whole state directory; [`gc_network`] one network of it and nothing else, so a
//! project never touches another project's hosts in a shared state directory.

use std::path::Path;

use crate::error::Result;
use crate::layout::StateLayout;
use crate::lock::NetworkLock;
use crate::network::rewrite_hosts_files;
use crate::record::{self, HostRecord};
use crate::runner::{self, COMMAND_TIMEOUT};
use crate::state_dir::{check_state_dir, dir_names, read_host_records, read_network_records};
use crate::{bridge, facts, names, privileges, teardown};

/// What [`gc`] removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GcReport {
    /// Ids of the hosts removed.
    pub removed_hosts: Vec<String>,
    /// Names of the bridges removed.
    pub removed_bridges: Vec<String>,
}

/// Removes every host under `state_dir` whose id is not in `known_ids`: recorded hosts,
/// host directories without a record, and network namespaces of this state directory's
/// networks without a host directory; then the bridges of networks left without hosts.
/// Network directories (and their client keys) are kept. Carries on past a failing host and
/// returns the first error at the end.
pub fn gc(state_dir: impl AsRef<Path>, known_ids: &[&str]) -> Result<GcReport> {
    collect(state_dir.as_ref(), None, known_ids)
}

/// Like [`gc`], for the hosts of `network` only: hosts recorded in it, host directories
/// without a record whose namespace is one of its namespaces, its namespaces without a host
/// directory; then its bridge if it has no host left. Hosts of other networks (other
/// projects sharing the state directory) are never touched.
pub fn gc_network(state_dir: impl AsRef<Path>, network: &str, known_ids: &[&str]) -> Result<GcReport> {
    names::check_network_name(network)?;
    collect(state_dir.as_ref(), Some(network), known_ids)
}

fn collect(state_dir: &Path, only: Option<&str>, known_ids: &[&str]) -> Result<GcReport> {
    let state = StateLayout::new(check_state_dir(state_dir)?);
    privileges::check()?;
    let mut report = GcReport::default();
    let mut first_error = None;
    let mut note = |result: Result<()>, id: &str, report: &mut GcReport| match result {
        Ok(()) => report.removed_hosts.push(id.to_string()),
        Err(error) => {
            first_error.get_or_insert(error);
        }
    };

    for id in dir_names(&state.hosts_dir())? {
        if known_ids.contains(&id.as_str()) || names::check_host_id(&id).is_err() {
            continue;
        }
        let record = record::read::<HostRecord>(&state.host(&id).record()).ok().flatten();
        let mut network = record.as_ref().map(|record| record.network.clone());
        if let Some(only) = only {
            // A directory without a record is this network's only if its namespace is.
            let unrecorded_but_ours = record.is_none() && facts::netns_inode(&names::netns_name(only, &id)).is_some();
            if unrecorded_but_ours {
                network = Some(only.to_string());
            }
            if network.as_deref() != Some(only) {
                continue;
            }
        }
        let target = teardown::Target { state: &state, id: &id, network: network.as_deref(), record: record.as_ref() };
        note(teardown::destroy(&target), &id, &mut report);
    }

    let networks: Vec<_> = read_network_records(&state)?
        .into_iter()
        .filter(|network| only.is_none_or(|only| network.name == only))
        .collect();
    let namespaces = facts::netns_names();
    for network in &networks {
        for netns in &namespaces {
            let Some(id) = names::host_id_of_netns(&network.name, netns) else { continue };
            if known_ids.contains(&id) || state.host(id).dir.exists() {
                continue;
            }
            let target = teardown::Target { state: &state, id, network: Some(&network.name), record: None };
            note(teardown::destroy(&target), id, &mut report);
        }
    }

    let records = read_host_records(&state)?;
    for network in &networks {
        let lock = NetworkLock::acquire(&state.network(&network.name).lock())?;
        let in_use = records.iter().any(|record| record.network == network.name);
        if in_use {
            rewrite_hosts_files(&state, &network.name, &lock)?;
        }
        let commands = bridge::delete_plan(&network.bridge, !in_use && facts::link_exists(&network.bridge));
        for command in &commands {
            runner::run(command, COMMAND_TIMEOUT)?;
        }
        if !commands.is_empty() {
            report.removed_bridges.push(network.bridge.clone());
        }
        drop(lock);
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(report),
    }
}
