//! The state file format: a versioned JSON document.
//!
//! Reading looks at `format` and `version` first and hands the bytes to the one reader of that
//! version (`v1.rs`, `v2.rs`; both parse the layout in `document.rs` and differ in what the
//! values mean). Older readers stay. Writing always writes the current version, pretty-printed
//! in a stable order (resources and intents sorted by address, outputs by name), so a file read
//! and written again is byte-identical (encrypted values keep their ciphertext while unchanged,
//! see [`crate::KeySource`]) and diffs between serials show only what changed.
//!
//! The key for encrypted values: [`crate::with_key_source`]'s if set, otherwise the one of
//! the state file's path ([`crate::KeySource::for_local_state`]) for the path-based functions,
//! and the working directory's for [`state_to_bytes`] and [`state_from_bytes`].

mod document;
mod v1;
mod v2;

use std::path::Path;

use serde::Deserialize;

use crate::fs_util::replace_atomically;
use crate::{KeyError, KeySource, State, StateError, key_source};

/// The value of the `format` field.
pub const FORMAT_NAME: &str = "strata-state";
/// The version this build writes. Version 2 stores sensitive values encrypted; version 1
/// stored them in clear text and is still read (and rewritten as version 2).
pub const FORMAT_VERSION: u64 = 2;
/// The newest version this build reads: 3 is version 2 with deposed objects, written only for
/// a state that has some.
pub const NEWEST_VERSION: u64 = 3;

/// Just enough of any version to pick its reader; other fields are ignored here.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: u64,
}

/// Reads a state snapshot file (without its journal: see [`crate::load`] for that).
pub fn read_state_file(path: &Path) -> Result<State, StateError> {
    let bytes = std::fs::read(path).map_err(|e| StateError::io("read", path, e))?;
    read_snapshot(&bytes, path, &key_source::for_path(path)).map(|(state, _)| state)
}

/// Parses a state document; `path` is only for messages.
pub fn state_from_bytes(bytes: &[u8], path: &Path) -> Result<State, StateError> {
    read_snapshot(bytes, path, &key_source::current()).map(|(state, _)| state)
}

/// Parses a state document, decrypting with `keys`; returns it with the version it had.
pub(crate) fn read_snapshot(bytes: &[u8], path: &Path, keys: &KeySource) -> Result<(State, u64), StateError> {
    let parse_error = |source| StateError::Parse { path: path.to_owned(), source };
    let header: Header = serde_json::from_slice(bytes).map_err(parse_error)?;
    if header.format.as_deref() != Some(FORMAT_NAME) {
        return Err(StateError::NotAStateFile { path: path.to_owned() });
    }
    let state = match header.version {
        1 => v1::read_v1(bytes, path)?,
        2 | 3 => v2::read_v2(bytes, path, keys)?,
        found => {
            return Err(StateError::UnsupportedVersion { path: path.to_owned(), found, supported: NEWEST_VERSION });
        }
    };
    Ok((state, header.version))
}

/// The state as the current format version, pretty-printed, ending in a newline. A key problem
/// comes back as a custom error carrying the [`KeyError`]'s message.
pub fn state_to_bytes(state: &State) -> Result<Vec<u8>, serde_json::Error> {
    encode(state, &key_source::current()).map_err(|error| match error {
        Unwritable::Json(error) => error,
        Unwritable::Key(error) => serde::ser::Error::custom(error),
    })
}

/// Writes the whole state to `path` atomically (temp file, fsync, rename, directory fsync):
/// after a crash `path` holds either the old state or the new one. Used by compaction and by
/// commands that replace the state; it leaves any `PATH.journal` alone.
pub fn write_state_atomically(path: &Path, state: &State) -> Result<(), StateError> {
    write_state_with(path, state, &key_source::for_path(path))
}

pub(crate) fn write_state_with(path: &Path, state: &State, keys: &KeySource) -> Result<(), StateError> {
    let bytes = encode(state, keys).map_err(|error| match error {
        Unwritable::Json(source) => StateError::Serialize { path: path.to_owned(), source },
        Unwritable::Key(source) => StateError::Key { path: path.to_owned(), source },
    })?;
    replace_atomically(path, &bytes)
}

/// Why a state could not be turned into bytes.
enum Unwritable {
    Key(KeyError),
    Json(serde_json::Error),
}

fn encode(state: &State, keys: &KeySource) -> Result<Vec<u8>, Unwritable> {
    v2::write_v2(state, keys)
}
