//! File system steps that make writes durable, each with an error naming the path.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::StateError;

/// `PATH` + `suffix` (`strata.state.json.journal`), next to the state file.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The directory holding `path`; `.` for a bare file name.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes a new, renamed or removed directory entry durable: the file's own fsync does not
/// cover its name.
pub(crate) fn sync_parent_dir(path: &Path) -> Result<(), StateError> {
    let dir = parent_dir(path);
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| StateError::io("fsync the directory", dir, e))
}

/// Replaces `path` with `bytes` so that a crash at any point leaves either the old file or the
/// new one, never a mix or a truncated file: write `PATH.tmp`, fsync it, rename it over
/// `PATH`, fsync the directory. When this returns, the new content is durable.
pub(crate) fn replace_atomically(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let tmp = sibling(path, ".tmp");
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(|e| StateError::io("create", &tmp, e))?;
    file.write_all(bytes).map_err(|e| StateError::io("write", &tmp, e))?;
    file.sync_all().map_err(|e| StateError::io("fsync", &tmp, e))?;
    drop(file);
    fs::rename(&tmp, path).map_err(|e| StateError::io("rename a new snapshot over", path, e))?;
    sync_parent_dir(path)
}

/// Reads a whole file; `None` when it does not exist.
pub(crate) fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, StateError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StateError::io("read", path, e)),
    }
}
