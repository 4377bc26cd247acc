//! The local backend: a snapshot file plus an append-only journal, with group commit.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot};

use crate::format::write_state_with;
use crate::fs_util::sync_parent_dir;
use crate::journal::{JOURNAL_VERSION, Request, Writer, load_parts};
use crate::{FORMAT_VERSION, KeySource, Operation, State, StateError, StateWarning, key_source};

/// The state at `PATH`, persisted as the snapshot `PATH` plus the journal `PATH.journal`.
///
/// Every change is an [`Operation`] passed to [`StateStore::record`], which returns once the
/// operation is on disk. The caller keeps its own [`State`] and applies the same operation with
/// [`State::apply`] (the serial `record` returns goes with it). Cost per change is one appended
/// line, not a rewrite of the whole file, so 10,000 resources cost 10,000 lines, and changes
/// completing together share one fsync. [`StateStore::compact`] folds the journal into the
/// snapshot; call it at the end of a run.
///
/// Sensitive values are encrypted in the journal and the snapshot with the store's
/// [`KeySource`]. A snapshot or journal of an older format version is rewritten in the current
/// one when the store opens, so clear-text secrets an older Strata wrote are encrypted then.
///
/// Hold a [`crate::StateLock`] while a store is open: the store assumes it is the only writer.
pub struct StateStore {
    path: PathBuf,
    /// `None` only while dropping, to close the channel before joining the writer.
    requests: Option<mpsc::UnboundedSender<Request>>,
    writer: Option<JoinHandle<()>>,
    batches: Arc<AtomicU64>,
}

impl StateStore {
    /// Opens the state at `path`, replaying its journal; creates an empty state (new lineage,
    /// written as a snapshot at once) when there is none. Warnings report what loading repaired.
    /// The key is [`crate::with_key_source`]'s if the caller set one, otherwise
    /// [`KeySource::for_local_state`]`(path)`.
    pub async fn open(path: &Path) -> Result<(StateStore, State, Vec<StateWarning>), StateError> {
        StateStore::open_with_key_source(path, key_source::for_path(path)).await
    }

    /// [`StateStore::open`] with sensitive values encrypted and decrypted with `keys`.
    pub async fn open_with_key_source(
        path: &Path,
        keys: KeySource,
    ) -> Result<(StateStore, State, Vec<StateWarning>), StateError> {
        let owned = path.to_owned();
        match tokio::task::spawn_blocking(move || StateStore::open_blocking(&owned, keys)).await {
            Ok(result) => result,
            Err(error) => match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(error) => Err(StateError::io("open", path, std::io::Error::other(error))),
            },
        }
    }

    fn open_blocking(path: &Path, keys: KeySource) -> Result<(StateStore, State, Vec<StateWarning>), StateError> {
        let mut loaded = load_parts(path, &keys)?;
        let outdated = loaded.snapshot_version.is_some_and(|version| version < FORMAT_VERSION)
            || loaded.journal_version.is_some_and(|version| version < JOURNAL_VERSION);
        if !loaded.snapshot_exists || outdated {
            // The snapshot fixes the lineage on disk before any journal record refers to it. An
            // older format is rewritten now, with the journal folded in: its clear-text
            // sensitive values are encrypted, and new records never follow old ones.
            write_state_with(path, &loaded.state, &keys)?;
        }
        let journal_path = loaded.journal_path;
        let journal = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&journal_path)
            .map_err(|e| StateError::io("open", &journal_path, e))?;
        if !loaded.journal_exists {
            sync_parent_dir(&journal_path)?;
        }
        if outdated && loaded.journal_len > 0 {
            // Every record is in the snapshot just written.
            journal
                .set_len(0)
                .and_then(|()| journal.sync_all())
                .map_err(|e| StateError::io("truncate", &journal_path, e))?;
            loaded.journal_valid_len = 0;
        } else if loaded.journal_valid_len < loaded.journal_len {
            // Cut the torn tail off, or the next append would continue it and turn a harmless
            // torn last line into a corrupt line in the middle.
            journal
                .set_len(loaded.journal_valid_len)
                .and_then(|()| journal.sync_all())
                .map_err(|e| StateError::io("truncate the torn end of", &journal_path, e))?;
        }
        let batches = Arc::new(AtomicU64::new(0));
        let writer = Writer {
            snapshot_path: path.to_owned(),
            journal_path: journal_path.clone(),
            journal,
            needs_header: loaded.journal_valid_len == 0,
            state: loaded.state.clone(),
            keys,
            failure: None,
            batches: batches.clone(),
        };
        let (requests, receiver) = mpsc::unbounded_channel();
        let writer = std::thread::Builder::new()
            .name("strata-state-journal".to_owned())
            .spawn(move || writer.run(receiver))
            .map_err(|e| StateError::io("start the writer thread for", &journal_path, e))?;
        let store = StateStore { path: path.to_owned(), requests: Some(requests), writer: Some(writer), batches };
        Ok((store, loaded.state, loaded.warnings))
    }

    /// Appends `operation` to the journal and returns the serial it produced once it is durable
    /// (written and fsync'd). An error means the operation is not known to be durable. Dropping
    /// the future does not withdraw the operation: it may still be written.
    pub async fn record(&self, operation: Operation) -> Result<u64, StateError> {
        self.request(|reply| Request::Record { operation, reply }).await
    }

    /// Writes the durable state as a new snapshot (atomically) and then empties the journal;
    /// returns the snapshot's serial. Records queued before the call are included.
    pub async fn compact(&self) -> Result<u64, StateError> {
        self.request(|reply| Request::Compact { reply }).await
    }

    /// The snapshot path this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many write+fsync batches the journal writer has made so far.
    pub fn journal_batches(&self) -> u64 {
        self.batches.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn request(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<u64, StateError>>) -> Request,
    ) -> Result<u64, StateError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StateError::JournalFailed {
            path: crate::fs_util::sibling(&self.path, ".journal"),
            reason: "the journal writer thread stopped".to_owned(),
        };
        let requests = self.requests.as_ref().ok_or_else(stopped)?;
        requests.send(make(reply)).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

impl Drop for StateStore {
    /// Closes the channel and waits for the writer to finish what is queued, so the files are
    /// quiet once the store is gone (a second open in the same process sees them settled).
    fn drop(&mut self) {
        self.requests = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}
