//! The state file format: a versioned JSON document.
//!
//! Reading looks at `format` and `version` first and hands the bytes to the one reader of that
//! version (`v1.rs`); a future version gets its own reader plus an upgrade function, and older
//! readers stay. Writing always writes the current version, pretty-printed in a stable order
//! (resources and intents sorted by address, outputs by name), so a file read and written again
//! is byte-identical and diffs between serials show only what changed.

mod v1;

use std::path::Path;

use serde::Deserialize;

use crate::fs_util::replace_atomically;
use crate::{State, StateError};

/// The value of the `format` field.
pub const FORMAT_NAME: &str = "strata-state";
/// The version this build writes.
pub const FORMAT_VERSION: u64 = 1;

/// Just enough of any version to pick its reader; other fields are ignored here.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: u64,
}

/// Reads a state snapshot file (without its journal: see [`crate::load`] for that).
pub fn read_state_file(path: &Path) -> Result<State, StateError> {
    let bytes = std::fs::read(path).map_err(|e| StateError::io("read", path, e))?;
    state_from_bytes(&bytes, path)
}

/// Parses a state document; `path` is only for messages.
pub fn state_from_bytes(bytes: &[u8], path: &Path) -> Result<State, StateError> {
    let parse_error = |source| StateError::Parse { path: path.to_owned(), source };
    let header: Header = serde_json::from_slice(bytes).map_err(parse_error)?;
    if header.format.as_deref() != Some(FORMAT_NAME) {
        return Err(StateError::NotAStateFile { path: path.to_owned() });
    }
    match header.version {
        1 => v1::read_v1(bytes, path),
        found => Err(StateError::UnsupportedVersion { path: path.to_owned(), found, supported: FORMAT_VERSION }),
    }
}

/// The state as the current format version, pretty-printed, ending in a newline.
pub fn state_to_bytes(state: &State) -> Result<Vec<u8>, serde_json::Error> {
    v1::write_v1(state)
}

/// Writes the whole state to `path` atomically (temp file, fsync, rename, directory fsync):
/// after a crash `path` holds either the old state or the new one. Used by compaction and by
/// commands that replace the state; it leaves any `PATH.journal` alone.
pub fn write_state_atomically(path: &Path, state: &State) -> Result<(), StateError> {
    let bytes = state_to_bytes(state).map_err(|source| StateError::Serialize { path: path.to_owned(), source })?;
    replace_atomically(path, &bytes)
}
