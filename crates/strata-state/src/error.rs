//! Errors of reading, writing and journaling the state. Every variant names the file.

use std::io;
use std::path::PathBuf;

/// A failure to read or persist the state.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done, as a verb phrase: "read", "fsync", "rename a snapshot over".
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path} is not a valid state file: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path} is not a Strata state file: it has no `\"format\": \"strata-state\"` field")]
    NotAStateFile { path: PathBuf },
    #[error(
        "{path} has state format version {found}, but this version of Strata reads versions 1 to \
         {supported}; it was written by a newer Strata, so upgrade Strata to use it"
    )]
    UnsupportedVersion { path: PathBuf, found: u64, supported: u64 },
    #[error("could not serialize the state for {path}: {source}")]
    Serialize {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path} line {line} is not a valid journal record, and valid data follows it: {message}")]
    CorruptJournal { path: PathBuf, line: usize, message: String },
    #[error(
        "{path} line {line} has serial {found} but {expected} was expected: records are missing, \
         so replaying it would lose changes"
    )]
    JournalGap { path: PathBuf, line: usize, expected: u64, found: u64 },
    #[error(
        "{journal} belongs to state lineage {journal_lineage}, but {snapshot} has lineage \
         {snapshot_lineage}: the snapshot was replaced without its journal"
    )]
    LineageMismatch { journal: PathBuf, journal_lineage: String, snapshot: PathBuf, snapshot_lineage: String },
    #[error(
        "{journal} exists but the snapshot {snapshot} does not; refusing to start from an empty \
         state, which would forget every resource the journal records"
    )]
    JournalWithoutSnapshot { journal: PathBuf, snapshot: PathBuf },
    #[error("the journal {path} stopped accepting records after an earlier failure: {reason}")]
    JournalFailed { path: PathBuf, reason: String },
    /// Sensitive values could not be encrypted or decrypted: no key, the wrong key, a key file
    /// that cannot be made, or a value altered or moved.
    #[error("{path}: {source}")]
    Key {
        path: PathBuf,
        #[source]
        source: crate::KeyError,
    },
}

impl StateError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> StateError {
        StateError::Io { action, path: path.into(), source }
    }

    /// True when the error is a missing file (no state yet).
    pub fn is_not_found(&self) -> bool {
        matches!(self, StateError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}
