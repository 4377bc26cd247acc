//! The network lock: an exclusive OS file lock on `networks/<name>/lock`, held while
//! addresses are allocated, the bridge is made or deleted and `/etc/hosts` files are
//! rewritten (the same kind of lock guards a build of the base root file system, see
//! [`crate::rootfs`]). It serializes threads of one process as well as separate processes, and
//! the kernel drops it when its holder dies.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::runner;

/// How long to wait for another holder of a network lock.
const LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct NetworkLock {
    _file: File,
}

impl NetworkLock {
    /// Takes the lock at `path`, waiting for at most a minute.
    pub(crate) fn acquire(path: &Path) -> Result<NetworkLock> {
        NetworkLock::acquire_within(path, LOCK_TIMEOUT)
    }

    /// Takes the lock at `path`, waiting for at most `timeout` (the base root file system's
    /// lock is held for as long as a build takes).
    pub(crate) fn acquire_within(path: &Path, timeout: Duration) -> Result<NetworkLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(Error::io("opening lock", path))?;
        let mut failure = None;
        let locked = runner::poll(timeout, || match file.try_lock() {
            Ok(()) => Some(()),
            Err(TryLockError::WouldBlock) => None,
            Err(TryLockError::Error(error)) => {
                failure = Some(error);
                Some(())
            }
        });
        match (locked, failure) {
            (Some(()), None) => Ok(NetworkLock { _file: file }),
            (_, Some(source)) => Err(Error::Io { action: "locking", path: path.to_path_buf(), source }),
            (None, None) => Err(Error::Io {
                action: "locking",
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("still held by another process after {} s", timeout.as_secs()),
                ),
            }),
        }
    }
}
