//! Reading a state ahead of its lock. A plan needs the configuration (parsed, decoded,
//! validated) and the state (parsed); the two are independent, so the state is read on a
//! second core while the configuration loads. The lock can only be taken later, once the
//! configuration has named the backend, so what was read ahead is used only if the files hold
//! exactly the same bytes once the lock is held: then it is what a read under the lock would
//! have parsed.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use super::{Loaded, StateBytes, parse_parts, read_files};
use crate::{KeySource, State, StateError, StateWarning, key_source};

/// A state being read ahead; [`ReadAhead::load`] once the lock is held.
pub struct ReadAhead {
    path: PathBuf,
    keys: KeySource,
    reading: JoinHandle<Option<(StateBytes, Result<Loaded, StateError>)>>,
}

impl ReadAhead {
    /// Starts reading the state at `path` on a thread of its own, with the key this thread
    /// would use. Nothing is locked; a missing or unreadable file is left to the real read.
    pub fn start(path: &Path) -> ReadAhead {
        let keys = key_source::for_path(path);
        let (thread_path, thread_keys) = (path.to_owned(), keys.clone());
        let reading = std::thread::spawn(move || {
            let bytes = read_files(&thread_path).ok()?;
            let loaded = parse_parts(&thread_path, &thread_keys, &bytes);
            Some((bytes, loaded))
        });
        ReadAhead { path: path.to_owned(), keys, reading }
    }

    /// The path it reads.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What [`crate::load`] returns, to be called with the lock held: the state read ahead
    /// when the files still hold the same bytes, else the files read and parsed now.
    pub fn load(self) -> Result<(State, Vec<StateWarning>), StateError> {
        let now = read_files(&self.path)?;
        let loaded = match self.reading.join().ok().flatten() {
            Some((bytes, loaded)) if bytes == now => loaded?,
            _ => parse_parts(&self.path, &self.keys, &now)?,
        };
        if !loaded.snapshot_exists {
            return Err(StateError::io("read", &self.path, std::io::ErrorKind::NotFound.into()));
        }
        Ok((loaded.state, loaded.warnings))
    }
}
