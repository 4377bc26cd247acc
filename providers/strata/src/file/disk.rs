//! The blocking file-system side of `strata_file`: atomic writes, removal, reading back.
//!
//! Every error names the path and what was being done to it ("writing /x/y: ...").

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use strata_provider::ProviderError;

/// A file as found on disk.
#[derive(Clone, Debug, PartialEq)]
pub struct OnDisk {
    /// The content; bytes that are not UTF-8 are replaced, which shows up as drift.
    pub content: String,
    /// Permission bits (`0o7777` at most).
    pub mode: u32,
}

fn failed(action: &str, path: &Path, error: io::Error) -> ProviderError {
    ProviderError::at("path", format!("{action} {}: {error}", path.display()))
}

/// Where a write stages its content: a sibling of `path`, so the final rename stays within
/// one file system and is atomic. The name is fixed per path (the state lock means one writer
/// per path at a time), so whatever a killed write left behind is found and removed by the
/// next write or refresh of the same file; a name with a random part would pile up instead.
pub fn temp_path(path: &Path, _token: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".tmp-strata");
    PathBuf::from(name)
}

/// The directory holding `path` (`.` for a bare file name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `content` to `path` so that a crash leaves either the old file or the new one, never
/// a torn one: write a temp sibling, fsync it, set its mode, rename it over `path`, fsync the
/// directory so the rename itself survives a power loss. Creates missing parent directories.
pub fn write_atomically(path: &Path, content: &[u8], mode: u32, token: &str) -> Result<(), ProviderError> {
    let directory = parent(path);
    fs::create_dir_all(directory).map_err(|e| failed("creating directory", directory, e))?;
    let temp = temp_path(path, token);
    let result = write_temp(&temp, content, mode).and_then(|()| {
        fs::rename(&temp, path).map_err(|e| failed("renaming", &temp, e))?;
        sync_directory(directory)
    });
    if result.is_err() {
        // Best effort: a leftover temp file is harmless (find_by_token removes it too).
        let _ = fs::remove_file(&temp);
    }
    result
}

fn write_temp(temp: &Path, content: &[u8], mode: u32) -> Result<(), ProviderError> {
    let writing = |e| failed("writing", temp, e);
    let mut file = OpenOptions::new().write(true).create(true).truncate(true).open(temp).map_err(writing)?;
    file.write_all(content).map_err(writing)?;
    // Set the mode explicitly: the mode given at creation would be reduced by the umask.
    file.set_permissions(fs::Permissions::from_mode(mode)).map_err(|e| failed("setting the mode of", temp, e))?;
    file.sync_all().map_err(writing)
}

fn sync_directory(directory: &Path) -> Result<(), ProviderError> {
    File::open(directory).and_then(|d| d.sync_all()).map_err(|e| failed("syncing directory", directory, e))
}

/// Removes the file; one that is already gone is not an error.
pub fn remove(path: &Path) -> Result<(), ProviderError> {
    match fs::remove_file(path) {
        Ok(()) => sync_directory(parent(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(failed("removing", path, e)),
    }
}

/// The file at `path`, or `None` when there is none.
pub fn read(path: &Path) -> Result<Option<OnDisk>, ProviderError> {
    let reading = |e| failed("reading", path, e);
    // Content and mode come from one open handle, so they describe the same file even if it
    // is replaced meanwhile.
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(reading(e)),
    };
    let mode = file.metadata().map_err(reading)?.permissions().mode() & 0o7777;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(reading)?;
    let content = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(Some(OnDisk { content, mode }))
}
