//! The metastore record: what a cluster needs to use an `emr_metastore` by its id (the
//! database's address and credentials, the shared warehouse, the network to route to), kept at
//! `<state_dir>/emr/metastores/<id>.json`, mode 0600 (it holds the password), while the
//! metastore exists. Written atomically when its create starts (so an interrupted create is
//! found again with its password) and after every successful create or update; removed with
//! the metastore.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use strata_provider_local::Subnet;
use strata_provider_local::routing::Endpoint;
use strata_provider_sdk::ProviderError;

use crate::record::{self, NodeRecord};

/// A metastore as clusters see it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetastoreRecord {
    pub id: String,
    pub name: String,
    pub release: String,
    /// Its host, once made.
    pub host: Option<NodeRecord>,
    pub port: u16,
    pub database: String,
    pub username: String,
    /// The `hive` role's password (never printed: see the `Debug` implementation).
    pub password: String,
    /// `jdbc:postgresql://IP:PORT/DATABASE`, once the host is made.
    pub jdbc_url: String,
    /// Where managed tables' data lives; every host of every cluster sees it.
    pub warehouse_dir: String,
    /// The metastore's network: its bridge and subnet (clusters route to it).
    pub network: String,
    pub bridge: String,
    pub subnet: String,
    pub ssh_private_key_path: String,
}

impl fmt::Debug for MetastoreRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetastoreRecord")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("host", &self.host)
            .field("jdbc_url", &self.jdbc_url)
            .field("warehouse_dir", &self.warehouse_dir)
            .field("network", &self.network)
            .field("password", &"(sensitive)")
            .finish_non_exhaustive()
    }
}

impl MetastoreRecord {
    /// The metastore's network as a routing endpoint.
    pub fn endpoint(&self) -> Result<Endpoint, ProviderError> {
        let subnet: Subnet = self.subnet.parse().map_err(|reason| {
            ProviderError::new(format!("the record of metastore {} has an invalid subnet: {reason}", self.id))
        })?;
        Ok(Endpoint { bridge: self.bridge.clone(), subnet })
    }

    /// Its host's address.
    pub fn host_ip(&self) -> Option<&str> {
        self.host.as_ref().map(|host| host.ip.as_str())
    }
}

fn path(state_dir: &Path, id: &str) -> PathBuf {
    state_dir.join("emr").join("metastores").join(format!("{id}.json"))
}

/// Writes the record, mode 0600 (temporary file, fsync, then rename).
pub fn write(state_dir: &Path, record: &MetastoreRecord) -> Result<(), ProviderError> {
    record::write_json(&path(state_dir, &record.id), record, 0o600)
}

/// The record of metastore `id`, `None` when there is none.
pub fn read(state_dir: &Path, id: &str) -> Result<Option<MetastoreRecord>, ProviderError> {
    record::read_json(&path(state_dir, id))
}

/// Removes the record of metastore `id` (absent is fine).
pub fn remove(state_dir: &Path, id: &str) -> Result<(), ProviderError> {
    record::remove_file(&path(state_dir, id))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    /// A record as a metastore on 10.232.5.0/24 writes it.
    pub(crate) fn sample() -> MetastoreRecord {
        MetastoreRecord {
            id: "m0123456789ab".into(),
            name: "shared".into(),
            release: "STRATA-1.0.0".into(),
            host: Some(NodeRecord {
                hostname: "shared-db-0".into(),
                ip: "10.232.5.2".into(),
                ssh_port: 22,
                ssh_host_key_fingerprint: "SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI".into(),
            }),
            port: 5432,
            database: "metastore".into(),
            username: "hive".into(),
            password: "Secret0123456789".into(),
            jdbc_url: "jdbc:postgresql://10.232.5.2:5432/metastore".into(),
            warehouse_dir: "/srv/strata/clusters/metastores/m0123456789ab/warehouse".into(),
            network: "emr-m0123456789ab".into(),
            bridge: "strata-br0a1b2c".into(),
            subnet: "10.232.5.0/24".into(),
            ssh_private_key_path: "/var/lib/strata/local/networks/emr-m0123456789ab/client_ed25519".into(),
        }
    }

    #[test]
    fn round_trip_private_and_never_debug_printed() {
        let dir = std::env::temp_dir().join(format!("strata-metastore-record-{}", std::process::id()));
        let record = sample();
        write(&dir, &record).unwrap();
        assert_eq!(read(&dir, &record.id).unwrap().as_ref(), Some(&record));
        let mode = std::fs::metadata(path(&dir, &record.id)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(!format!("{record:?}").contains(&record.password));
        assert_eq!(record.endpoint().unwrap().subnet.to_string(), "10.232.5.0/24");
        remove(&dir, &record.id).unwrap();
        remove(&dir, &record.id).unwrap();
        assert_eq!(read(&dir, &record.id).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
