//! A cluster's own metastore: with SPARK_THRIFT and no `metastore`, the release's PostgreSQL
//! (`metastore-db`, the catalog's database of the Thrift server's metastore) runs on the master
//! and holds the cluster's Hive tables for the Thrift server, jobs and `spark-sql` alike.
//!
//! Its record, `<state_dir>/emr/clusters/<id>.metastore.json` (mode 0600: it holds the `hive`
//! role's password), has the form of an `emr_metastore`'s ([`MetastoreRecord`]), so rendering
//! treats both alike (`{metastore_host}`, `{metastore_password}`, `hive-site.xml`). The password
//! is generated when the record is first written and kept by every later apply; the record is
//! removed with the cluster.

use std::path::{Path, PathBuf};

use strata_provider_sdk::ProviderError;

use crate::metastore_record::MetastoreRecord;
use crate::metastore_render::{DATABASE, USERNAME, jdbc_url};
use crate::record::{self, NodeRecord};

/// The port of the cluster's metastore database (the catalog's `metastore-db`).
pub const PORT: u16 = 5432;

/// Where the record of cluster `id`'s own metastore is.
pub fn path(state_dir: &Path, id: &str) -> PathBuf {
    state_dir.join("emr").join("clusters").join(format!("{id}.metastore.json"))
}

/// The record of cluster `id`'s own metastore, `None` when there is none.
pub fn read(state_dir: &Path, id: &str) -> Result<Option<MetastoreRecord>, ProviderError> {
    record::read_json(&path(state_dir, id))
}

/// Removes it (absent is fine).
pub fn remove(state_dir: &Path, id: &str) -> Result<(), ProviderError> {
    record::remove_file(&path(state_dir, id))
}

/// The cluster's network, as its record names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterNetwork {
    pub name: String,
    pub bridge: String,
    pub subnet: String,
    pub ssh_private_key_path: String,
}

/// The record of cluster `id`'s own metastore on `master` (pure): the `hive` role's
/// `password`, the warehouse in the cluster's shared directory (where a cluster without
/// SPARK_THRIFT keeps it too).
pub fn record(
    id: &str,
    name: &str,
    release: &str,
    master: NodeRecord,
    password: String,
    shared_dir: &str,
    network: &ClusterNetwork,
) -> Result<MetastoreRecord, ProviderError> {
    let ip = master.ip.parse().map_err(|_| ProviderError::new(format!("{} has no IPv4 address", master.hostname)))?;
    Ok(MetastoreRecord {
        id: id.to_string(),
        name: name.to_string(),
        release: release.to_string(),
        host: Some(master),
        port: PORT,
        database: DATABASE.to_string(),
        username: USERNAME.to_string(),
        password,
        jdbc_url: jdbc_url(ip, PORT),
        warehouse_dir: format!("{}/warehouse", shared_dir.trim_end_matches('/')),
        network: network.name.clone(),
        bridge: network.bridge.clone(),
        subnet: network.subnet.clone(),
        ssh_private_key_path: network.ssh_private_key_path.clone(),
    })
}

/// Writes the record of cluster `id`'s own metastore on `master`, keeping the password an
/// earlier one has (else a new one), and returns it.
pub fn ensure(
    state_dir: &Path,
    id: &str,
    name: &str,
    release: &str,
    master: NodeRecord,
    shared_dir: &str,
    network: &ClusterNetwork,
) -> Result<MetastoreRecord, ProviderError> {
    let password = match read(state_dir, id)? {
        Some(existing) => existing.password,
        None => crate::metastore::generate_password()?,
    };
    let record = record(id, name, release, master, password, shared_dir, network)?;
    record::write_json(&path(state_dir, id), &record, 0o600)?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn master(ip: &str) -> NodeRecord {
        NodeRecord {
            hostname: "sql-master-0".into(),
            ip: ip.into(),
            ssh_port: 22,
            ssh_host_key_fingerprint: "SHA256:x".into(),
        }
    }

    fn network() -> ClusterNetwork {
        ClusterNetwork {
            name: "emr-c1".into(),
            bridge: "strata-br1".into(),
            subnet: "10.232.0.0/24".into(),
            ssh_private_key_path: "/k".into(),
        }
    }

    #[test]
    fn the_password_is_kept_and_the_record_private() {
        let dir = std::env::temp_dir().join(format!("strata-cluster-metastore-{}", std::process::id()));
        let first = ensure(&dir, "c1", "sql", "STRATA-1.0.0", master("10.232.0.2"), "/srv/c1", &network()).unwrap();
        assert_eq!(first.jdbc_url, "jdbc:postgresql://10.232.0.2:5432/metastore");
        assert_eq!(first.warehouse_dir, "/srv/c1/warehouse");
        assert_eq!(first.host_ip(), Some("10.232.0.2"));
        assert_eq!(first.password.len(), 32);
        let again = ensure(&dir, "c1", "sql", "STRATA-1.0.0", master("10.232.0.9"), "/srv/c1", &network()).unwrap();
        assert_eq!(again.password, first.password, "kept across applies");
        assert_eq!(again.host_ip(), Some("10.232.0.9"), "a remade master's address");
        assert_eq!(std::fs::metadata(path(&dir, "c1")).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(read(&dir, "c1").unwrap(), Some(again));
        remove(&dir, "c1").unwrap();
        assert_eq!(read(&dir, "c1").unwrap(), None);
        assert!(record("c1", "sql", "S", master("nowhere"), String::new(), "/s", &network()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
