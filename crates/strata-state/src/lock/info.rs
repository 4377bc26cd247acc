//! Who holds a lock.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::intent::now_rfc3339;

/// Written as JSON into the lock file by the holder, so whoever is kept waiting can be told
/// who, where, doing what and since when, and can force-unlock by `id` if the holder is gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// A UUID naming this one acquisition.
    pub id: String,
    pub pid: u32,
    pub host: String,
    /// The command holding the lock (`apply`, `state rm`).
    pub operation: String,
    /// The user, as the CLI names them (`alice@laptop`).
    pub who: String,
    /// RFC 3339.
    pub created: String,
}

impl LockInfo {
    /// Info for this process: a new id, its pid and host, now.
    pub fn new(operation: impl Into<String>, who: impl Into<String>) -> LockInfo {
        LockInfo {
            id: uuid::Uuid::new_v4().to_string(),
            pid: std::process::id(),
            host: host_name(),
            operation: operation.into(),
            who: who.into(),
            created: now_rfc3339(),
        }
    }
}

impl fmt::Display for LockInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "held by {} (pid {} on {}) for `{}` since {}, lock ID {}",
            self.who, self.pid, self.host, self.operation, self.created, self.id
        )
    }
}

/// The machine's name, without unsafe FFI: the kernel's, then `$HOSTNAME`.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_owned())
}
