//! Lock errors.

use std::io;
use std::path::PathBuf;

use crate::LockInfo;

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Someone else holds the lock; `holder` is what they wrote into the lock file (`None` if it
    /// could not be read, e.g. they were still writing it).
    #[error("the state is locked ({path}): {}", describe(.holder))]
    Held { path: PathBuf, holder: Option<LockInfo> },
    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path} is not locked: there is no lock information to remove")]
    NotLocked { path: PathBuf },
    #[error("{path} is held under lock ID {}, not {given}; nothing was unlocked", .holder.id)]
    IdMismatch { path: PathBuf, given: String, holder: LockInfo },
}

fn describe(holder: &Option<LockInfo>) -> String {
    match holder {
        Some(info) => info.to_string(),
        None => "the holder did not leave readable lock information".to_owned(),
    }
}

impl LockError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> LockError {
        LockError::Io { action, path: path.into(), source }
    }
}
