//! The cluster record: what another resource needs to find a cluster by its id (`emr_job`
//! runs on its master), kept at `<state_dir>/emr/clusters/<id>.json` while the cluster exists.
//! Written atomically after every successful create or update; removed with the cluster.
//!
//! The JSON file helpers ([`write_json`], [`read_json`], [`remove_file`]) are every record's:
//! the metastore record ([`crate::metastore_record`]) and a cluster's own metastore
//! ([`crate::cluster_metastore`]) use them too.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
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

/// Writes the record (temporary file, fsync, then rename).
pub fn write(state_dir: &Path, record: &ClusterRecord) -> Result<(), ProviderError> {
    write_json(&path(state_dir, &record.id), record, 0o644)
}

/// The record of cluster `id`, `None` when there is none.
pub fn read(state_dir: &Path, id: &str) -> Result<Option<ClusterRecord>, ProviderError> {
    read_json(&path(state_dir, id))
}

/// Removes the record of cluster `id` (absent is fine).
pub fn remove(state_dir: &Path, id: &str) -> Result<(), ProviderError> {
    remove_file(&path(state_dir, id))
}

/// Writes `value` as pretty JSON to `path` with `mode`, atomically: a temporary file next to
/// it (made with `mode`, so a secret is never readable by others), fsync, then rename. The
/// directory is made when missing. Errors name the path.
pub fn write_json<T: Serialize>(path: &Path, value: &T, mode: u32) -> Result<(), ProviderError> {
    let error =
        |action: &str, error: std::io::Error| ProviderError::new(format!("{action} {}: {error}", path.display()));
    let dir = path.parent().expect("a record path has a directory");
    std::fs::create_dir_all(dir).map_err(|e| error("creating the directory of", e))?;
    let text = serde_json::to_string_pretty(value).expect("a record serializes");
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let _ = std::fs::remove_file(&temporary);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&temporary)
        .map_err(|e| error("creating", e))?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| error("writing", e))?;
    std::fs::rename(&temporary, path).map_err(|e| error("renaming into", e))
}

/// The JSON value at `path`, `None` when there is no file. Errors name the path.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, ProviderError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| ProviderError::new(format!("reading {}: {error}", path.display()))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(ProviderError::new(format!("reading {}: {error}", path.display()))),
    }
}

/// Removes the file at `path` (absent is fine). Errors name the path.
pub fn remove_file(path: &Path) -> Result<(), ProviderError> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(ProviderError::new(format!("removing {}: {error}", path.display())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn json_files_round_trip_with_their_mode() {
        let dir = std::env::temp_dir().join(format!("strata-emr-record-{}", std::process::id()));
        let path = dir.join("nested").join("c1.json");
        let record = ClusterRecord {
            id: "c1".into(),
            name: "a".into(),
            release: "STRATA-1.0.0".into(),
            master_url: "spark://10.0.0.2:7077".into(),
            master_ui_url: "http://10.0.0.2:8080".into(),
            master: NodeRecord {
                hostname: "a-master-0".into(),
                ip: "10.0.0.2".into(),
                ssh_port: 22,
                ssh_host_key_fingerprint: "SHA256:x".into(),
            },
            ssh_private_key_path: "/k".into(),
        };
        assert_eq!(read_json::<ClusterRecord>(&path).unwrap(), None);
        write_json(&path, &record, 0o600).unwrap();
        write_json(&path, &record, 0o600).unwrap();
        assert_eq!(read_json::<ClusterRecord>(&path).unwrap(), Some(record));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::write(&path, "{").unwrap();
        assert!(read_json::<ClusterRecord>(&path).unwrap_err().message.contains("c1.json"));
        remove_file(&path).unwrap();
        remove_file(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
