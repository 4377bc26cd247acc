//! The journal's line format: JSON lines, a header then one record per operation.
//!
//! ```text
//! {"format":"strata-state-journal","version":1,"lineage":"…"}
//! {"serial":4,"op":"put_instance","address":"emr_cluster.a","instance":{…}}
//! {"serial":5,"op":"remove_output","name":"endpoint"}
//! ```
//! Each record carries the serial it produces, so replay can skip records already folded into
//! the snapshot and notice missing ones. The header's lineage ties the journal to its snapshot.

use serde::{Deserialize, Serialize};

use crate::Operation;

pub(crate) const JOURNAL_FORMAT: &str = "strata-state-journal";
pub(crate) const JOURNAL_VERSION: u64 = 1;

#[derive(Serialize, Deserialize)]
pub(crate) struct Header {
    pub(crate) format: String,
    pub(crate) version: u64,
    pub(crate) lineage: String,
}

#[derive(Deserialize)]
pub(crate) struct Record {
    pub(crate) serial: u64,
    #[serde(flatten)]
    pub(crate) operation: Operation,
}

#[derive(Serialize)]
struct RecordOut<'a> {
    serial: u64,
    #[serde(flatten)]
    operation: &'a Operation,
}

/// The header line, newline included.
pub(crate) fn header_line(lineage: &str) -> Vec<u8> {
    let header = Header { format: JOURNAL_FORMAT.to_owned(), version: JOURNAL_VERSION, lineage: lineage.to_owned() };
    // A struct of strings and an integer always serializes.
    let mut line = serde_json::to_vec(&header).unwrap_or_default();
    line.push(b'\n');
    line
}

/// One record line, newline included.
pub(crate) fn record_line(serial: u64, operation: &Operation) -> Result<Vec<u8>, serde_json::Error> {
    let mut line = serde_json::to_vec(&RecordOut { serial, operation })?;
    line.push(b'\n');
    Ok(line)
}
