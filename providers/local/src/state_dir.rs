//! Reading the state directory: its path rules and the records under it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::layout::StateLayout;
use crate::record::{self, HostRecord, NetworkRecord};

/// Every host record under the state directory.
pub(crate) fn read_host_records(state: &StateLayout) -> Result<Vec<HostRecord>> {
    let mut records = Vec::new();
    for id in dir_names(&state.hosts_dir())? {
        if let Some(record) = record::read::<HostRecord>(&state.host(&id).record())? {
            records.push(record);
        }
    }
    Ok(records)
}

/// Every network record under the state directory.
pub(crate) fn read_network_records(state: &StateLayout) -> Result<Vec<NetworkRecord>> {
    let mut records = Vec::new();
    for name in dir_names(&state.networks_dir())? {
        if let Some(record) = record::read::<NetworkRecord>(&state.network(&name).record())? {
            records.push(record);
        }
    }
    Ok(records)
}

/// The names of the subdirectories of `dir` (none when it does not exist).
pub(crate) fn dir_names(dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(Error::Io { action: "listing", path: dir.to_path_buf(), source: error }),
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}

/// The state directory as an absolute path, refusing one under /tmp: every host binds its
/// own /tmp, and temporary-file cleaners must never reach host data.
pub fn check_state_dir(state_dir: &Path) -> Result<PathBuf> {
    let absolute = if state_dir.is_absolute() {
        state_dir.to_path_buf()
    } else {
        std::env::current_dir().map_err(Error::io("reading the current directory", "."))?.join(state_dir)
    };
    if absolute.starts_with("/tmp") || absolute.starts_with("/var/tmp") {
        return Err(Error::InvalidStateDir {
            path: absolute,
            reason: "it must not be under /tmp or /var/tmp; use the default /var/lib/strata/local or another \
                     persistent directory",
        });
    }
    Ok(absolute)
}
