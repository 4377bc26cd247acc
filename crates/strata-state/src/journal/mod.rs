//! The journal: operations appended since the last snapshot, and how loading replays them.
//!
//! `record.rs` is the line format, `writer.rs` the group-committing appender behind
//! [`crate::StateStore`]. Loading reads the snapshot, then replays journal records whose serial
//! is above the snapshot's (lower ones were folded in by a compaction that crashed before it
//! could truncate the journal). An incomplete last line is a write that was cut off: it is
//! dropped with a [`StateWarning`]. Anything else wrong is an error, because guessing could
//! forget a resource.

mod read_ahead;
mod record;
mod writer;

use std::path::{Path, PathBuf};

pub use read_ahead::ReadAhead;
pub(crate) use record::{JOURNAL_VERSION, header_line};
pub(crate) use writer::{Request, Writer};

use crate::format::read_snapshot;
use crate::fs_util::{read_if_exists, sibling};
use crate::{KeySource, Operation, State, StateError, StateWarning, key_source};

/// Reads the state at `path`: the snapshot plus its journal (read-only: a torn tail is reported
/// but left in place). Fails when there is no snapshot; see [`StateError::is_not_found`].
/// Encrypted values are decrypted with the key of [`crate::with_key_source`], or else
/// [`KeySource::for_local_state`]`(path)`.
pub fn load(path: &Path) -> Result<(State, Vec<StateWarning>), StateError> {
    let loaded = load_parts(path, &key_source::for_path(path))?;
    if !loaded.snapshot_exists {
        return Err(StateError::io("read", path, std::io::ErrorKind::NotFound.into()));
    }
    Ok((loaded.state, loaded.warnings))
}

/// What loading found, with what the store needs to continue appending.
pub(crate) struct Loaded {
    pub(crate) state: State,
    pub(crate) warnings: Vec<StateWarning>,
    pub(crate) snapshot_exists: bool,
    /// The snapshot's format version (when it exists).
    pub(crate) snapshot_version: Option<u64>,
    pub(crate) journal_path: PathBuf,
    /// The journal header's version (when it has one).
    pub(crate) journal_version: Option<u64>,
    pub(crate) journal_exists: bool,
    /// Length of the journal's complete lines; anything after it is a torn tail.
    pub(crate) journal_valid_len: u64,
    pub(crate) journal_len: u64,
}

pub(crate) fn load_parts(path: &Path, keys: &KeySource) -> Result<Loaded, StateError> {
    let files = read_files(path)?;
    parse_parts(path, keys, &files)
}

/// The bytes of a state's snapshot and journal, `None` for a file that does not exist.
#[derive(PartialEq, Eq)]
pub(crate) struct StateBytes {
    snapshot: Option<Vec<u8>>,
    journal: Option<Vec<u8>>,
}

pub(crate) fn read_files(path: &Path) -> Result<StateBytes, StateError> {
    Ok(StateBytes { snapshot: read_if_exists(path)?, journal: read_if_exists(&sibling(path, ".journal"))? })
}

/// [`load_parts`] from bytes already read.
pub(crate) fn parse_parts(path: &Path, keys: &KeySource, read: &StateBytes) -> Result<Loaded, StateError> {
    let journal_path = sibling(path, ".journal");
    let snapshot = read.snapshot.as_deref();
    let journal = read.journal.as_deref();
    let snapshot_exists = snapshot.is_some();
    let (mut state, snapshot_version) = match snapshot {
        Some(bytes) => read_snapshot(bytes, path, keys).map(|(state, version)| (state, Some(version)))?,
        None if journal.as_ref().is_some_and(|bytes| !bytes.is_empty()) => {
            return Err(StateError::JournalWithoutSnapshot { journal: journal_path, snapshot: path.to_owned() });
        }
        None => (State::new(), None),
    };
    let journal_exists = journal.is_some();
    let bytes = journal.unwrap_or_default();
    let mut warnings = Vec::new();
    let files = Files { journal: &journal_path, snapshot: path, keys };
    let (journal_valid_len, journal_version) = replay(&mut state, bytes, &files, &mut warnings)?;
    Ok(Loaded {
        state,
        warnings,
        snapshot_exists,
        snapshot_version,
        journal_path,
        journal_version,
        journal_exists,
        journal_valid_len,
        journal_len: bytes.len() as u64,
    })
}

/// What replay reads and decrypts with.
struct Files<'a> {
    journal: &'a Path,
    snapshot: &'a Path,
    keys: &'a KeySource,
}

/// Applies the journal's records to `state`; returns the length of the complete lines and the
/// header's version.
fn replay(
    state: &mut State,
    bytes: &[u8],
    files: &Files<'_>,
    warnings: &mut Vec<StateWarning>,
) -> Result<(u64, Option<u64>), StateError> {
    let journal_path = files.journal;
    let mut offset = 0;
    let mut line_number = 0;
    let mut version = None;
    while offset < bytes.len() {
        line_number += 1;
        let (line, next) = match bytes[offset..].iter().position(|&b| b == b'\n') {
            Some(end) => (Some(&bytes[offset..offset + end]), offset + end + 1),
            // No newline: the append that wrote this line did not finish.
            None => (None, bytes.len()),
        };
        let parsed = match line {
            None => Err("the line is incomplete".to_owned()),
            Some(line) if version.is_none() => {
                serde_json::from_slice::<record::Header>(line).map(Line::Header).map_err(|e| e.to_string())
            }
            Some(line) => serde_json::from_slice::<record::Record>(line).map(Line::Record).map_err(|e| e.to_string()),
        };
        match parsed {
            // Only the last line can be torn: every earlier line was fsync'd before a later
            // append began, so damage before valid data is corruption, not a crash.
            Err(_) if next == bytes.len() => {
                let bytes = (bytes.len() - offset) as u64;
                warnings.push(StateWarning::TornJournalTail {
                    path: journal_path.to_owned(),
                    line: line_number,
                    bytes,
                });
                return Ok((offset as u64, version));
            }
            Err(message) => {
                return Err(StateError::CorruptJournal { path: journal_path.to_owned(), line: line_number, message });
            }
            Ok(Line::Header(header)) => {
                check_header(&header, state, journal_path, files.snapshot)?;
                version = Some(header.version);
            }
            // Already in the snapshot: a compaction renamed its snapshot into place, then
            // stopped before it could truncate the journal.
            Ok(Line::Record(record)) if record.serial <= state.serial => {}
            Ok(Line::Record(record)) if record.serial != state.serial + 1 => {
                return Err(StateError::JournalGap {
                    path: journal_path.to_owned(),
                    line: line_number,
                    expected: state.serial + 1,
                    found: record.serial,
                });
            }
            Ok(Line::Record(record)) => {
                let mut operation = Operation::from(record.operation);
                if version == Some(1) {
                    operation.upgrade_from_v1();
                } else {
                    // A complete line that does not decrypt is not a torn write: it is an error.
                    operation
                        .open(files.keys)
                        .map_err(|source| StateError::Key { path: journal_path.to_owned(), source })?;
                }
                state.apply(record.serial, operation);
            }
        }
        offset = next;
    }
    Ok((offset as u64, version))
}

#[expect(clippy::large_enum_variant, reason = "one value at a time, never stored: size does not matter")]
enum Line {
    Header(record::Header),
    Record(record::Record),
}

fn check_header(
    header: &record::Header,
    state: &State,
    journal_path: &Path,
    snapshot_path: &Path,
) -> Result<(), StateError> {
    if header.format != record::JOURNAL_FORMAT {
        return Err(StateError::CorruptJournal {
            path: journal_path.to_owned(),
            line: 1,
            message: format!("the header names format `{}`, not `{}`", header.format, record::JOURNAL_FORMAT),
        });
    }
    if !(1..=record::JOURNAL_VERSION).contains(&header.version) {
        return Err(StateError::UnsupportedVersion {
            path: journal_path.to_owned(),
            found: header.version,
            supported: record::JOURNAL_VERSION,
        });
    }
    if header.lineage != state.lineage {
        return Err(StateError::LineageMismatch {
            journal: journal_path.to_owned(),
            journal_lineage: header.lineage.clone(),
            snapshot: snapshot_path.to_owned(),
            snapshot_lineage: state.lineage.clone(),
        });
    }
    Ok(())
}
