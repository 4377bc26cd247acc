//! The journal writer: one thread that appends records in batches (group commit).
//!
//! Callers queue requests on a channel. The writer takes whatever is queued (up to
//! [`MAX_BATCH`]), writes all of it with one `write` and one `fdatasync`, and only then answers
//! each caller with its serial. So a `record` that returns `Ok` is on disk, and a thousand
//! concurrent completions cost one fsync, not a thousand.
//!
//! It is a plain thread rather than a tokio task because `fdatasync` blocks: on a runtime
//! worker it would stall every task scheduled there.
//!
//! The writer keeps its own copy of the durable state (snapshot plus every appended record), so
//! a compaction writes exactly what the journal holds, whatever order callers applied their
//! results in.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{mpsc, oneshot};

use super::header_line;
use super::record::record_line;
use crate::format::write_state_with;
use crate::{KeySource, Operation, State, StateError};

/// Bounds how much one batch holds, so one caller's latency stays bounded under a flood.
pub(crate) const MAX_BATCH: usize = 4096;

type Reply = oneshot::Sender<Result<u64, StateError>>;

#[expect(
    clippy::large_enum_variant,
    reason = "almost every request is a Record: boxing it would cost an allocation per record to shrink a rare one"
)]
pub(crate) enum Request {
    Record { operation: Operation, reply: Reply },
    Compact { reply: Reply },
}

pub(crate) struct Writer {
    pub(crate) snapshot_path: PathBuf,
    pub(crate) journal_path: PathBuf,
    /// Opened for appending; `set_len(0)` after a compaction makes the next append start at 0.
    pub(crate) journal: File,
    /// The journal is empty, so the next append starts with the header.
    pub(crate) needs_header: bool,
    /// The durable state: the snapshot plus every record appended since.
    pub(crate) state: State,
    /// The key sensitive values are encrypted with, in records and snapshots.
    pub(crate) keys: KeySource,
    /// Set when a write or fsync failed. After that the file's content is unknown (and, after a
    /// failed fsync, the kernel may have dropped the dirty pages), so nothing more is appended.
    pub(crate) failure: Option<String>,
    /// Number of fsync'd batches, for tests.
    pub(crate) batches: Arc<AtomicU64>,
}

impl Writer {
    /// Serves requests until every sender is gone.
    pub(crate) fn run(mut self, mut requests: mpsc::UnboundedReceiver<Request>) {
        while let Some(first) = requests.blocking_recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match requests.try_recv() {
                    Ok(request) => batch.push(request),
                    Err(_) => break,
                }
            }
            self.handle(batch);
        }
    }

    fn handle(&mut self, batch: Vec<Request>) {
        let mut records = Vec::new();
        for request in batch {
            match request {
                Request::Record { operation, reply } => records.push((operation, reply)),
                Request::Compact { reply } => {
                    // Records queued before the compaction belong in the snapshot it writes.
                    self.append(std::mem::take(&mut records));
                    // A caller that stopped waiting does not need the answer.
                    let _ = reply.send(self.compact());
                }
            }
        }
        self.append(records);
    }

    fn failed(&self, reason: &str) -> StateError {
        StateError::JournalFailed { path: self.journal_path.clone(), reason: reason.to_owned() }
    }

    fn append(&mut self, records: Vec<(Operation, Reply)>) {
        if records.is_empty() {
            return;
        }
        if let Some(reason) = &self.failure {
            for (_, reply) in records {
                let _ = reply.send(Err(self.failed(reason)));
            }
            return;
        }
        let mut bytes = if self.needs_header { header_line(&self.state.lineage) } else { Vec::new() };
        let mut accepted = Vec::with_capacity(records.len());
        let mut serial = self.state.serial;
        for (operation, reply) in records {
            match record_line(serial + 1, &operation, &self.keys, &self.journal_path) {
                Ok(line) => {
                    serial += 1;
                    bytes.extend_from_slice(&line);
                    accepted.push((serial, operation, reply));
                }
                Err(error) => {
                    let _ = reply.send(Err(error));
                }
            }
        }
        if accepted.is_empty() {
            return;
        }
        match self.journal.write_all(&bytes).and_then(|()| self.journal.sync_data()) {
            Ok(()) => {
                self.needs_header = false;
                self.batches.fetch_add(1, Ordering::Relaxed);
                for (serial, operation, reply) in accepted {
                    self.state.apply(serial, operation);
                    let _ = reply.send(Ok(serial));
                }
            }
            Err(error) => {
                let reason = format!("could not append to or fsync {}: {error}", self.journal_path.display());
                for (_, _, reply) in accepted {
                    let _ = reply.send(Err(self.failed(&reason)));
                }
                self.failure = Some(reason);
            }
        }
    }

    /// Snapshot, then truncate. The order is the crash-safety argument: until the rename is
    /// durable the old snapshot plus the full journal describe the state; after it the new
    /// snapshot does, and the journal's records are all at or below its serial, so a crash
    /// before the truncation replays nothing twice.
    fn compact(&mut self) -> Result<u64, StateError> {
        if let Some(reason) = &self.failure {
            return Err(self.failed(reason));
        }
        write_state_with(&self.snapshot_path, &self.state, &self.keys)?;
        if let Err(error) = self.journal.set_len(0).and_then(|()| self.journal.sync_all()) {
            self.failure = Some(format!("could not truncate {}: {error}", self.journal_path.display()));
            return Err(StateError::io("truncate", &self.journal_path, error));
        }
        self.needs_header = true;
        Ok(self.state.serial)
    }
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;

    use super::*;
    use crate::OutputState;

    /// Requests queued while the writer is busy go out in one batch: one write, one fsync.
    #[test]
    fn queued_records_share_one_fsync() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot_path = dir.path().join("strata.state.json");
        let journal_path = dir.path().join("strata.state.json.journal");
        let journal = OpenOptions::new().create(true).append(true).open(&journal_path).unwrap();
        let batches = Arc::new(AtomicU64::new(0));
        let state = State::new();
        crate::write_state_atomically(&snapshot_path, &state).unwrap();
        let writer = Writer {
            snapshot_path: snapshot_path.clone(),
            journal_path,
            journal,
            needs_header: true,
            state,
            keys: KeySource::given(crate::StateKey::generate().unwrap()),
            failure: None,
            batches: batches.clone(),
        };
        let (sender, receiver) = mpsc::unbounded_channel();
        let mut replies = Vec::new();
        for i in 0..2000 {
            let (reply, answer) = oneshot::channel();
            let output = OutputState { value: serde_json::json!(i), sensitive: false };
            let operation = Operation::PutOutput { name: format!("o{i}"), output };
            sender.send(Request::Record { operation, reply }).unwrap();
            replies.push(answer);
        }
        drop(sender);
        writer.run(receiver);
        assert_eq!(batches.load(Ordering::Relaxed), 1);
        let serials: Vec<u64> = replies.into_iter().map(|mut answer| answer.try_recv().unwrap().unwrap()).collect();
        assert_eq!(serials, (1..=2000).collect::<Vec<_>>());
        let (loaded, warnings) = crate::load(&snapshot_path).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(loaded.serial, 2000);
        assert_eq!(loaded.outputs.len(), 2000);
    }
}
