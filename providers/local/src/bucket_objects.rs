//! Objects: files in a bucket ([`crate::buckets`]), written whole and atomically.
//!
//! A write goes to a temporary file in the object's own directory (`.strata-tmp.<pid>.<n>`:
//! a leading `.` is what Hadoop's and Spark's file listings skip), is fsynced, checked against
//! the sha256 the plan showed, given mode 0644 and renamed over the key, so a reader sees the
//! old content or the new, never a part. Directories a key needs are made (mode 0755); a path
//! through a symbolic link is refused, so a key never writes outside its bucket. Removing an
//! object removes the directories it leaves empty, up to (never including) the bucket.

use std::fs::File;
use std::io::{ErrorKind, Read, Write as _};
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest as _, Sha256};

use crate::buckets::{BucketError, BucketResult, bucket_exists};
use crate::error::Error;

/// An object's mode: readable by every host's processes.
const OBJECT_MODE: u32 = 0o644;
/// A directory's mode inside a bucket.
const DIRECTORY_MODE: u32 = 0o755;

/// What an object holds: the size and the sha256 (lowercase hex) of its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectDigest {
    pub size: u64,
    pub sha256: String,
}

/// Where an object's content comes from.
#[derive(Clone, Copy, Debug)]
pub enum ObjectContent<'a> {
    /// `content`: a string from the configuration.
    Bytes(&'a [u8]),
    /// `source`: a file on this machine.
    File(&'a Path),
}

/// The digest of bytes in memory.
pub fn digest_bytes(bytes: &[u8]) -> ObjectDigest {
    ObjectDigest { size: bytes.len() as u64, sha256: hex(&Sha256::digest(bytes)) }
}

/// The digest of a file, read in pieces (sources may be large).
pub fn digest_file(path: &Path) -> std::io::Result<ObjectDigest> {
    copy_hashing(&mut File::open(path)?, None)
}

/// Writes object `key` of the bucket at `bucket_dir` (bucket `bucket`). With
/// `planned_sha256`, content that hashes otherwise is not written (the source changed since
/// the plan).
pub fn write_object(
    bucket_dir: &Path,
    bucket: &str,
    key: &str,
    content: ObjectContent<'_>,
    planned_sha256: Option<&str>,
) -> BucketResult<ObjectDigest> {
    if !bucket_exists(bucket_dir)? {
        return Err(BucketError::Missing { name: bucket.to_string(), path: bucket_dir.to_path_buf() });
    }
    let target = bucket_dir.join(key);
    let (directory, temporary, file) = open_temporary(bucket_dir, key)?;
    let result = write_temporary(file, &temporary, content, planned_sha256)
        .and_then(|digest| rename_into_place(&temporary, &target, &directory).map(|()| digest));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// The digest of the object at `path`; `None` when there is no file there (removed, or
/// replaced by something that is not a file).
pub fn read_object(path: &Path) -> BucketResult<Option<ObjectDigest>> {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if matches!(error.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => return Ok(None),
        Err(error) => return Err(Error::Io { action: "looking at", path: path.to_path_buf(), source: error }.into()),
    };
    if !metadata.is_file() {
        return Ok(None);
    }
    digest_file(path)
        .map(Some)
        .map_err(|source| Error::Io { action: "reading", path: path.to_path_buf(), source }.into())
}

/// Removes object `key` from the bucket at `bucket_dir`, then every directory of the key left
/// empty. An object already gone is fine.
pub fn remove_object(bucket_dir: &Path, key: &str) -> BucketResult<()> {
    let path = bucket_dir.join(key);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(error) if matches!(error.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {}
        Err(error) => return Err(Error::Io { action: "removing", path, source: error }.into()),
    }
    let mut directory = path.parent();
    while let Some(dir) = directory.filter(|dir| dir.starts_with(bucket_dir) && *dir != bucket_dir) {
        // Not empty (other objects), or not ours to judge: stop there.
        if std::fs::remove_dir(dir).is_err() && dir.exists() {
            break;
        }
        directory = dir.parent();
    }
    Ok(())
}

/// Makes the directories between the bucket and the object; returns the object's directory.
fn make_parents(bucket_dir: &Path, key: &str) -> BucketResult<PathBuf> {
    let mut directory = bucket_dir.to_path_buf();
    let segments: Vec<&str> = key.split('/').collect();
    for segment in &segments[..segments.len().saturating_sub(1)] {
        directory.push(segment);
        match std::fs::symlink_metadata(&directory) {
            Ok(metadata) if metadata.is_dir() => continue,
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(BucketError::Symlink { path: directory });
            }
            Ok(_) => {
                let source = std::io::Error::new(ErrorKind::AlreadyExists, "a file is where the key needs a directory");
                return Err(Error::Io { action: "making the directory", path: directory, source }.into());
            }
            Err(error) if error.kind() == ErrorKind::NotFound => {}
            Err(error) => return Err(Error::Io { action: "looking at", path: directory, source: error }.into()),
        }
        match std::fs::DirBuilder::new().mode(DIRECTORY_MODE).create(&directory) {
            Err(error) if error.kind() != ErrorKind::AlreadyExists => {
                return Err(Error::Io { action: "making the directory", path: directory, source: error }.into());
            }
            _ => std::fs::set_permissions(&directory, std::fs::Permissions::from_mode(DIRECTORY_MODE))
                .map_err(Error::io("setting the mode of", &directory))?,
        }
    }
    Ok(directory)
}

/// A name no key can collide with in practice, hidden from Spark's listings.
fn temporary_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(".strata-tmp.{}.{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Makes the key's directories and a temporary file in the last one. Removing another object
/// prunes directories it leaves empty: one may go between being made and the temporary file
/// being created in it, so that is tried again (once the file is there, it is not empty).
fn open_temporary(bucket_dir: &Path, key: &str) -> BucketResult<(PathBuf, PathBuf, File)> {
    const ATTEMPTS: usize = 3;
    let mut attempt = 1;
    loop {
        let directory = make_parents(bucket_dir, key)?;
        let temporary = directory.join(temporary_name());
        let mut options = std::fs::OpenOptions::new();
        match options.write(true).create_new(true).mode(OBJECT_MODE).open(&temporary) {
            Ok(file) => return Ok((directory, temporary, file)),
            Err(error) if error.kind() == ErrorKind::NotFound && attempt < ATTEMPTS => attempt += 1,
            Err(error) => return Err(Error::Io { action: "creating", path: temporary, source: error }.into()),
        }
    }
}

fn write_temporary(
    mut file: File,
    temporary: &Path,
    content: ObjectContent<'_>,
    planned_sha256: Option<&str>,
) -> BucketResult<ObjectDigest> {
    let digest = match content {
        ObjectContent::Bytes(bytes) => {
            file.write_all(bytes).map_err(Error::io("writing", temporary))?;
            digest_bytes(bytes)
        }
        ObjectContent::File(source) => {
            let mut input = File::open(source).map_err(Error::io("reading", source))?;
            copy_hashing(&mut input, Some(&mut file)).map_err(Error::io("copying into", temporary))?
        }
    };
    if let (Some(planned), ObjectContent::File(source)) = (planned_sha256, content)
        && planned != digest.sha256
    {
        return Err(BucketError::SourceChanged {
            source_path: source.to_path_buf(),
            planned: planned.to_string(),
            actual: digest.sha256,
        });
    }
    file.sync_all().map_err(Error::io("syncing", temporary))?;
    // The umask may have taken bits away; objects are readable by every host's processes.
    file.set_permissions(std::fs::Permissions::from_mode(OBJECT_MODE))
        .map_err(Error::io("setting the mode of", temporary))?;
    Ok(digest)
}

fn rename_into_place(temporary: &Path, target: &Path, directory: &Path) -> BucketResult<()> {
    std::fs::rename(temporary, target).map_err(Error::io("renaming into place", target))?;
    // The rename itself is durable once the directory is synced.
    File::open(directory).and_then(|dir| dir.sync_all()).map_err(Error::io("syncing", directory))?;
    Ok(())
}

/// Reads `input` to its end, hashing it and writing it to `output` if given.
fn copy_hashing(input: &mut impl Read, mut output: Option<&mut File>) -> std::io::Result<ObjectDigest> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let read = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        hasher.update(&buffer[..read]);
        if let Some(output) = output.as_deref_mut() {
            output.write_all(&buffer[..read])?;
        }
        size += read as u64;
    }
    Ok(ObjectDigest { size, sha256: hex(&hasher.finalize()) })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buckets::create_bucket;
    use crate::buckets::tests::Scratch;

    /// sha256("hello\n"), as `sha256sum` prints it.
    const HELLO: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn write_read_rewrite_remove() {
        let scratch = Scratch::new("objects");
        let layout = scratch.layout();
        let bucket = create_bucket(&layout, "data", "t").unwrap();
        let digest = write_object(&bucket, "data", "in/2026/a.txt", ObjectContent::Bytes(b"hello\n"), None).unwrap();
        assert_eq!(digest, ObjectDigest { size: 6, sha256: HELLO.to_string() });
        let path = bucket.join("in/2026/a.txt");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o644);
        assert_eq!(std::fs::metadata(bucket.join("in/2026")).unwrap().permissions().mode() & 0o7777, 0o755);
        assert_eq!(listing(&bucket.join("in/2026")), ["a.txt"], "no temporary file left");
        assert_eq!(read_object(&path).unwrap(), Some(digest));

        // From a file, checked against the plan's digest.
        let source = scratch.0.join("source.txt");
        std::fs::write(&source, "hello\n").unwrap();
        let from_file = write_object(&bucket, "data", "b.txt", ObjectContent::File(&source), Some(HELLO)).unwrap();
        assert_eq!(from_file.sha256, HELLO);
        assert_eq!(digest_file(&source).unwrap(), from_file);
        std::fs::write(&source, "changed\n").unwrap();
        let error = write_object(&bucket, "data", "b.txt", ObjectContent::File(&source), Some(HELLO)).unwrap_err();
        assert!(matches!(error, BucketError::SourceChanged { .. }), "{error}");
        assert_eq!(std::fs::read_to_string(bucket.join("b.txt")).unwrap(), "hello\n", "the old content stays");
        assert_eq!(listing(&bucket), ["b.txt", "in"]);

        // Changed behind Strata's back: read sees the new digest.
        std::fs::write(&path, "edited").unwrap();
        assert_eq!(read_object(&path).unwrap().unwrap().size, 6);
        assert_ne!(read_object(&path).unwrap().unwrap().sha256, HELLO);

        // Removing prunes the directories left empty, never the bucket.
        std::fs::write(bucket.join("in/keep.txt"), "").unwrap();
        remove_object(&bucket, "in/2026/a.txt").unwrap();
        assert_eq!(listing(&bucket.join("in")), ["keep.txt"]);
        remove_object(&bucket, "in/keep.txt").unwrap();
        remove_object(&bucket, "b.txt").unwrap();
        assert!(listing(&bucket).is_empty() && bucket.is_dir());
        remove_object(&bucket, "b.txt").unwrap();
        assert_eq!(read_object(&path).unwrap(), None);
    }

    #[test]
    fn refusals() {
        let scratch = Scratch::new("object-refusals");
        let layout = scratch.layout();
        let missing = layout.bucket_dir("nope");
        let error = write_object(&missing, "nope", "a", ObjectContent::Bytes(b""), None).unwrap_err();
        assert!(error.to_string().starts_with("bucket nope does not exist"), "{error}");

        let bucket = create_bucket(&layout, "data", "t").unwrap();
        std::os::unix::fs::symlink(&scratch.0, bucket.join("escape")).unwrap();
        let error = write_object(&bucket, "data", "escape/a", ObjectContent::Bytes(b"x"), None).unwrap_err();
        assert!(matches!(error, BucketError::Symlink { .. }), "{error}");
        assert!(!scratch.0.join("a").exists());
        std::fs::write(bucket.join("file"), "").unwrap();
        let error = write_object(&bucket, "data", "file/a", ObjectContent::Bytes(b"x"), None).unwrap_err();
        assert!(error.to_string().contains("a file is where the key needs a directory"), "{error}");
        assert_eq!(read_object(&bucket.join("file/a")).unwrap(), None);
    }
}
