//! Acquiring, releasing and force-removing the lock on `PATH.lock`.
//!
//! The lock is an OS file lock (`File::try_lock`, `flock` on Unix) on `PATH.lock`, so it is
//! released by the kernel when its holder dies: a crashed run never leaves a lock behind on a
//! local disk. The holder also writes a [`LockInfo`] into the file for others to read.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::fs_util::sibling;
use crate::{LockError, LockInfo};

const FIRST_PAUSE: Duration = Duration::from_millis(50);
const LONGEST_PAUSE: Duration = Duration::from_millis(200);

/// An exclusive lock on the state at a path, held until dropped.
#[derive(Debug)]
pub struct StateLock {
    file: File,
    path: PathBuf,
    info: LockInfo,
}

impl StateLock {
    /// Takes the lock on `state_path` (the file `state_path.lock`), retrying every 50 to 200 ms
    /// until `timeout` has passed (a zero timeout tries once). Fails with [`LockError::Held`]
    /// naming the holder.
    pub fn acquire(state_path: &Path, info: LockInfo, timeout: Duration) -> Result<StateLock, LockError> {
        let path = sibling(state_path, ".lock");
        let deadline = Instant::now() + timeout;
        let mut pause = FIRST_PAUSE;
        loop {
            if let Some(file) = try_lock(&path)? {
                write_info(&file, &path, &info)?;
                return Ok(StateLock { file, path, info });
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(LockError::Held { holder: read_info(&path), path });
            }
            sleep(pause.min(deadline - now));
            pause = (pause * 2).min(LONGEST_PAUSE);
        }
    }

    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// The lock file (`PATH.lock`).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StateLock {
    /// Removes the lock file while still holding the lock, then unlocks by closing it. Waiters
    /// that had the old file open notice it is gone (see `try_lock`) and start over.
    fn drop(&mut self) {
        // After a force-unlock the path may name someone else's new lock file: leave it.
        if names_file(&self.path, &self.file) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Removes the lock on `state_path` if its info carries `id`, for a holder that is gone but
/// whose lock survived (a network file system, a hung process). Returns the removed info.
/// A still-running holder keeps running: this is for the user to decide, like Terraform's
/// `force-unlock`.
pub fn force_unlock(state_path: &Path, id: &str) -> Result<LockInfo, LockError> {
    let path = sibling(state_path, ".lock");
    let holder = read_info(&path).ok_or_else(|| LockError::NotLocked { path: path.clone() })?;
    if holder.id != id {
        return Err(LockError::IdMismatch { path, given: id.to_owned(), holder });
    }
    fs::remove_file(&path).map_err(|e| LockError::io("remove", &path, e))?;
    Ok(holder)
}

/// One attempt: the locked file, or `None` when someone else holds it.
fn try_lock(path: &Path) -> Result<Option<File>, LockError> {
    // Bounded: a lost race below needs another holder to remove the file in between, and each
    // retry opens the file that is there now.
    for _ in 0..100 {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| LockError::io("open", path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(LockError::io("lock", path, e)),
        }
        // The previous holder may have removed the file between our open and our lock; a lock
        // on a removed file guards nothing, since the next process creates a new one.
        if names_file(path, &file) {
            return Ok(Some(file));
        }
    }
    Ok(None)
}

fn write_info(mut file: &File, path: &Path, info: &LockInfo) -> Result<(), LockError> {
    let json = serde_json::to_vec_pretty(info).map_err(|e| LockError::io("write", path, e.into()))?;
    file.set_len(0).map_err(|e| LockError::io("truncate", path, e))?;
    file.write_all(&json).map_err(|e| LockError::io("write", path, e))
}

fn read_info(path: &Path) -> Option<LockInfo> {
    serde_json::from_slice(&fs::read(path).ok()?).ok()
}

/// Does `path` still name the open `file`?
#[cfg(unix)]
fn names_file(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(path), file.metadata()) {
        (Ok(on_disk), Ok(open)) => on_disk.dev() == open.dev() && on_disk.ino() == open.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn names_file(path: &Path, _file: &File) -> bool {
    path.exists()
}
