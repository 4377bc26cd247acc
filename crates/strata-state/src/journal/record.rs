//! The journal's line format: JSON lines, a header then one record per operation.
//!
//! ```text
//! {"format":"strata-state-journal","version":1,"lineage":"…"}
//! {"serial":4,"op":"put_instance","address":"emr_cluster.a","instance":{…}}
//! {"serial":5,"op":"remove_output","name":"endpoint"}
//! ```
//! Each record carries the serial it produces, so replay can skip records already folded into
//! the snapshot and notice missing ones. The header's lineage ties the journal to its snapshot.
//!
//! Version 2 stores sensitive values encrypted, as the state format's version 2 does (see
//! `sealing.rs`); version 1 stored them in clear text. Version 3 is version 2 plus the records
//! of `state mv`/`state rm` on whole modules (`move_instances`, `remove_instances`): a binary
//! that knows only version 2 would take such a record, left by a crash, for a torn last line
//! and drop it, so the header tells it to refuse the journal instead. Replay reads all three
//! (version 2 journals written before the bump may hold those records too); the store compacts
//! an older journal away when it opens, so records of two versions never share a file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::operation::{OperationOut, StoredOperation};
use crate::{KeySource, Operation, StateError};

pub(crate) const JOURNAL_FORMAT: &str = "strata-state-journal";
pub(crate) const JOURNAL_VERSION: u64 = 3;

#[derive(Serialize, Deserialize)]
pub(crate) struct Header {
    pub(crate) format: String,
    pub(crate) version: u64,
    pub(crate) lineage: String,
}

/// A record as read: the operation's sensitive values still encrypted.
#[derive(Deserialize)]
pub(crate) struct Record {
    pub(crate) serial: u64,
    #[serde(flatten)]
    pub(crate) operation: StoredOperation,
}

#[derive(Serialize)]
struct RecordOut<'a> {
    serial: u64,
    #[serde(flatten)]
    operation: OperationOut<'a>,
}

/// The header line, newline included.
pub(crate) fn header_line(lineage: &str) -> Vec<u8> {
    let header = Header { format: JOURNAL_FORMAT.to_owned(), version: JOURNAL_VERSION, lineage: lineage.to_owned() };
    // A struct of strings and an integer always serializes.
    let mut line = serde_json::to_vec(&header).unwrap_or_default();
    line.push(b'\n');
    line
}

/// One record line with sensitive values encrypted, newline included; `journal` is for
/// messages.
pub(crate) fn record_line(
    serial: u64,
    operation: &Operation,
    keys: &KeySource,
    journal: &Path,
) -> Result<Vec<u8>, StateError> {
    let operation = operation.sealed(keys).map_err(|source| StateError::Key { path: journal.to_owned(), source })?;
    let mut line = serde_json::to_vec(&RecordOut { serial, operation })
        .map_err(|source| StateError::Serialize { path: journal.to_owned(), source })?;
    line.push(b'\n');
    Ok(line)
}
