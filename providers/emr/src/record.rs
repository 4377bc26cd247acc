//! The cluster record: what another resource needs to find a cluster by its id (`emr_job`
//! runs on its master), kept at `<state_dir>/emr/clusters/<id>.json` while the cluster exists.
//! Written atomically after every successful create or update; removed with the cluster.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use strata_provider_sdk::ProviderError;

/// A cluster as jobs see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRecord {
    pub id: String,
    pub name: String,
    pub release: String,
    /// `spark://IP:7077`.
    pub master_url: String,
    pub master_ui_url: String,
    /// The node that runs the Spark master (and job drivers).
    pub master: NodeRecord,
    /// The private key that logs in to every node.
    pub ssh_private_key_path: String,
}

/// How to reach one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRecord {
    pub hostname: String,
    pub ip: String,
    pub ssh_port: u16,
    pub ssh_host_key_fingerprint: String,
}

fn path(state_dir: &Path, id: &str) -> PathBuf {
    state_dir.join("emr").join("clusters").join(format!("{id}.json"))
}

/// Writes the record (temporary file, then rename).
pub fn write(state_dir: &Path, record: &ClusterRecord) -> Result<(), ProviderError> {
    let path = path(state_dir, &record.id);
    let error =
        |action: &str, error: std::io::Error| ProviderError::new(format!("{action} {}: {error}", path.display()));
    let dir = path.parent().expect("a record path has a directory");
    std::fs::create_dir_all(dir).map_err(|e| error("creating the directory of", e))?;
    let text = serde_json::to_string_pretty(record).expect("a record serializes");
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, text).map_err(|e| error("writing", e))?;
    std::fs::rename(&temporary, &path).map_err(|e| error("renaming into", e))
}

/// The record of cluster `id`, `None` when there is none.
pub fn read(state_dir: &Path, id: &str) -> Result<Option<ClusterRecord>, ProviderError> {
    let path = path(state_dir, id);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| ProviderError::new(format!("reading {}: {error}", path.display()))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(ProviderError::new(format!("reading {}: {error}", path.display()))),
    }
}

/// Removes the record of cluster `id` (absent is fine).
pub fn remove(state_dir: &Path, id: &str) -> Result<(), ProviderError> {
    let path = path(state_dir, id);
    match std::fs::remove_file(&path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(ProviderError::new(format!("removing {}: {error}", path.display())))
        }
        _ => Ok(()),
    }
}
