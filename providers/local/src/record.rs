//! The records kept under the state directory: `host.json` per host, `network.json` per
//! network. A host's record is written before anything of the host is made, so whatever a
//! crash leaves behind can be found again (by `destroy_host` and `gc`). Records are replaced
//! atomically (temporary file, fsync, rename) and carry a format version; unknown fields are
//! ignored so an older reader can read a newer record.

use std::io::Write as _;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::isolation::Isolation;

/// The record format version written by this code.
const FORMAT_VERSION: u32 = 1;

/// A process, identified beyond its pid (pids are reused) by its start time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProcessId {
    pub pid: u32,
    /// Field 22 of `/proc/<pid>/stat`: clock ticks after boot.
    pub start_time: u64,
}

/// `STATE_DIR/hosts/<id>/host.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HostRecord {
    pub version: u32,
    pub id: String,
    pub network: String,
    pub hostname: String,
    pub ip: Ipv4Addr,
    pub instance_type: String,
    pub netns: String,
    pub veth: String,
    /// Cgroup directories made for the host.
    #[serde(default)]
    pub cgroups: Vec<PathBuf>,
    /// Memory limit enforced, in bytes.
    #[serde(default)]
    pub memory_limit_bytes: Option<u64>,
    /// CPU quota enforced, in CPUs.
    #[serde(default)]
    pub vcpu_limit: Option<u32>,
    /// The host's PID 1 (sshd), once started.
    #[serde(default)]
    pub init: Option<ProcessId>,
    /// The `unshare` process that waits for the init (a container host's: its
    /// `systemd-nspawn` supervisor).
    #[serde(default)]
    pub launcher: Option<ProcessId>,
    /// Namespace host (absent in records written before containers existed) or container.
    #[serde(default)]
    pub isolation: Isolation,
    /// A container host's systemd-nspawn machine name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// A container host's base root file system (its overlay's lower layer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<PathBuf>,
}

impl HostRecord {
    pub(crate) fn new(
        id: &str,
        network: &str,
        hostname: &str,
        ip: Ipv4Addr,
        instance_type: &str,
        netns: String,
        veth: String,
    ) -> HostRecord {
        HostRecord {
            version: FORMAT_VERSION,
            id: id.to_string(),
            network: network.to_string(),
            hostname: hostname.to_string(),
            ip,
            instance_type: instance_type.to_string(),
            netns,
            veth,
            cgroups: Vec::new(),
            memory_limit_bytes: None,
            vcpu_limit: None,
            init: None,
            launcher: None,
            isolation: Isolation::Namespace,
            machine: None,
            base: None,
        }
    }
}

/// `STATE_DIR/networks/<name>/network.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NetworkRecord {
    pub version: u32,
    pub name: String,
    pub subnet: String,
    pub bridge: String,
}

impl NetworkRecord {
    pub(crate) fn new(name: &str, subnet: String, bridge: String) -> NetworkRecord {
        NetworkRecord { version: FORMAT_VERSION, name: name.to_string(), subnet, bridge }
    }
}

/// Reads a record; `None` when the file does not exist.
pub(crate) fn read<T: DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::Io { action: "reading", path: path.to_path_buf(), source: error }),
    };
    serde_json::from_str(&text).map(Some).map_err(|source| Error::Record { path: path.to_path_buf(), source })
}

/// Writes a record atomically: a sibling temporary file, fsync, rename.
pub(crate) fn write<T: Serialize>(path: &Path, record: &T) -> Result<()> {
    let mut text =
        serde_json::to_string_pretty(record).map_err(|source| Error::Record { path: path.into(), source })?;
    text.push('\n');
    let temporary = path.with_extension(format!("json.tmp{}", std::process::id()));
    let mut file = std::fs::File::create(&temporary).map_err(Error::io("creating", &temporary))?;
    file.write_all(text.as_bytes()).map_err(Error::io("writing", &temporary))?;
    file.sync_all().map_err(Error::io("syncing", &temporary))?;
    std::fs::rename(&temporary, path).map_err(Error::io("renaming into place", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_golden_record_and_ignores_unknown_fields() {
        let text = include_str!("../../../testdata/local-hosts/host.json");
        let record: HostRecord = serde_json::from_str(text).unwrap();
        assert_eq!(record.ip, Ipv4Addr::new(10, 231, 0, 2));
        assert_eq!(record.init, Some(ProcessId { pid: 4242, start_time: 987654 }));
        assert_eq!(record.isolation, Isolation::Namespace, "a record from before containers");
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        value["written_by_a_newer_version"] = serde_json::Value::Bool(true);
        assert_eq!(serde_json::from_value::<HostRecord>(value).unwrap(), record);
    }

    #[test]
    fn round_trip_through_a_file() {
        let dir = std::env::temp_dir().join(format!("strata-local-record-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("host.json");
        assert_eq!(read::<HostRecord>(&path).unwrap(), None);
        let record: HostRecord = serde_json::from_str(include_str!("../../../testdata/local-hosts/host.json")).unwrap();
        write(&path, &record).unwrap();
        assert_eq!(read::<HostRecord>(&path).unwrap(), Some(record));
        let container: HostRecord =
            serde_json::from_str(include_str!("../../../testdata/local-hosts/container-host.json")).unwrap();
        assert_eq!(
            (container.isolation, container.machine.as_deref()),
            (Isolation::Container, Some("strata-0123456789abcdef"))
        );
        write(&path, &container).unwrap();
        assert_eq!(read::<HostRecord>(&path).unwrap(), Some(container));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
