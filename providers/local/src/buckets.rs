//! Buckets on this machine: where they live ([`BucketLayout`]) and making, finding and removing
//! their directories. The objects in them are [`crate::bucket_objects`].
//!
//! ```text
//! BUCKET_ROOT/<name>/                 the bucket (mode 0755): only its objects, nothing else
//! BUCKET_ROOT/<name>/<key>            an object (a file, mode 0644); `/` in the key makes directories
//! STATE_DIR/buckets/<name>.json       the record: this state directory owns the bucket
//! ```
//!
//! The record is kept outside the bucket so that a listing of the bucket (Spark reading
//! `file:///mnt/buckets/NAME/*`) shows its objects and nothing else. It is written before the
//! directory is made, with the create's idempotency token, so a create interrupted by a crash
//! is found again ([`found_by_token`]) instead of being refused as someone else's bucket.
//!
//! The default root is `/mnt/buckets` ([`DEFAULT_BUCKET_ROOT`]): namespace hosts bind only
//! `/opt`, `/var/lib`, `/var/log`, `/root`, `/etc/ssh`, `/run`, `/tmp` and a few `/etc` files
//! privately (`layout::BIND_TARGETS`), so `/mnt/buckets/NAME` is the same directory on this
//! machine and on every namespace host.

use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::record;

/// Where buckets are made unless the provider block sets `bucket_root`.
pub const DEFAULT_BUCKET_ROOT: &str = "/mnt/buckets";
/// A bucket directory's mode: everyone (every host's processes) may list and read it.
const BUCKET_MODE: u32 = 0o755;
/// The record format version written by this code.
const FORMAT_VERSION: u32 = 1;

/// Everything that can go wrong with a bucket or an object in it.
#[derive(Debug, thiserror::Error)]
pub enum BucketError {
    /// The bucket's directory exists and this create did not make it.
    #[error(
        "bucket {name} already exists: {} is there already (bucket names are unique on this machine, like \
         BucketAlreadyExists in an object store). Choose another name, or take the existing directory \
         under management with `strata import <address> {name}`",
        path.display()
    )]
    AlreadyExists { name: String, path: PathBuf },

    /// An object's bucket does not exist.
    #[error(
        "bucket {name} does not exist: there is no directory {}. Create it with a local_bucket resource and \
         refer to it (bucket = local_bucket.<name>.id) so that it is made first",
        path.display()
    )]
    Missing { name: String, path: PathBuf },

    /// Destroying a bucket that still holds objects, without `force_destroy`.
    #[error(
        "bucket {name} is not empty: {} holds {objects} object{} (files Strata did not make, or made by \
         objects no longer in this configuration). Remove them, or set force_destroy = true on the bucket, \
         run `strata apply`, and destroy again",
        path.display(),
        if *objects == 1 { "" } else { "s" }
    )]
    NotEmpty { name: String, path: PathBuf, objects: usize },

    /// The bucket root cannot be made or used.
    #[error(
        "bucket root {}: {source}. The default /mnt/buckets needs root to create; run as root, or set \
         bucket_root in the provider \"local\" block to a directory you may write",
        path.display()
    )]
    Root { path: PathBuf, source: std::io::Error },

    /// A path inside a bucket goes through a symbolic link, which could lead outside it.
    #[error("{} is a symbolic link; objects are written only inside their bucket's own directories", path.display())]
    Symlink { path: PathBuf },

    /// The file written is not what the plan hashed (the source changed after planning).
    #[error(
        "{} changed after the plan: its sha256 is now {actual}, the plan said {planned}. Run `strata plan` \
         again",
        source_path.display()
    )]
    SourceChanged { source_path: PathBuf, planned: String, actual: String },

    /// A file system operation or a record failed.
    #[error(transparent)]
    Machine(#[from] Error),
}

/// Shorthand for results of bucket operations.
pub type BucketResult<T> = std::result::Result<T, BucketError>;

/// Where buckets and their records live (pure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketLayout {
    root: PathBuf,
    records: PathBuf,
}

impl BucketLayout {
    /// Buckets under `root`, their records under `STATE_DIR/buckets`.
    pub fn new(root: impl Into<PathBuf>, state_dir: &Path) -> BucketLayout {
        BucketLayout { root: root.into(), records: state_dir.join("buckets") }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bucket's directory (the name is checked beforehand: one path segment).
    pub fn bucket_dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// An object's file (the key is checked beforehand: relative, no `.`/`..`).
    pub fn object_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.bucket_dir(bucket).join(key)
    }

    pub fn record(&self, name: &str) -> PathBuf {
        self.records.join(format!("{name}.json"))
    }
}

/// `file://` and the path, as Spark and Hadoop take it (`file:///mnt/buckets/input/a.csv`).
pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `STATE_DIR/buckets/<name>.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BucketRecord {
    pub version: u32,
    pub name: String,
    pub path: PathBuf,
    /// The token of the create that made it; empty for an imported bucket.
    #[serde(default)]
    pub idempotency_token: String,
}

/// Makes bucket `name` (an empty directory, mode 0755) for the create with `token`. Refuses
/// a directory that is already there, unless an earlier attempt of this very create made it.
pub fn create_bucket(layout: &BucketLayout, name: &str, token: &str) -> BucketResult<PathBuf> {
    let path = layout.bucket_dir(name);
    if found_by_token(layout, name, token)? {
        return Ok(path);
    }
    if path.symlink_metadata().is_ok() {
        return Err(BucketError::AlreadyExists { name: name.to_string(), path });
    }
    std::fs::create_dir_all(layout.root()).map_err(|source| BucketError::Root { path: layout.root.clone(), source })?;
    write_record(layout, name, token)?;
    match std::fs::DirBuilder::new().mode(BUCKET_MODE).create(&path) {
        Ok(()) => {}
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            // Made by someone else between the check and now: not ours.
            remove_record(layout, name)?;
            return Err(BucketError::AlreadyExists { name: name.to_string(), path });
        }
        Err(error) => return Err(Error::Io { action: "creating the bucket", path, source: error }.into()),
    }
    // The umask may have taken bits away; a bucket is readable by every host's processes.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(BUCKET_MODE))
        .map_err(Error::io("setting the mode of", &path))?;
    Ok(path)
}

/// True when `path` is a directory (a bucket that exists).
pub fn bucket_exists(path: &Path) -> BucketResult<bool> {
    match std::fs::metadata(path) {
        Ok(metadata) => Ok(metadata.is_dir()),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(false),
        Err(error) => Err(Error::Io { action: "looking at", path: path.to_path_buf(), source: error }.into()),
    }
}

/// True when the create with `token` made bucket `name` and its directory is there.
pub fn found_by_token(layout: &BucketLayout, name: &str, token: &str) -> BucketResult<bool> {
    if token.is_empty() {
        return Ok(false);
    }
    let Some(record) = record::read::<BucketRecord>(&layout.record(name))? else { return Ok(false) };
    Ok(record.idempotency_token == token && bucket_exists(&layout.bucket_dir(name))?)
}

/// Takes an existing directory under management (`strata import`): records it, with no token.
/// `false` when there is no such bucket.
pub fn adopt_bucket(layout: &BucketLayout, name: &str) -> BucketResult<bool> {
    if !bucket_exists(&layout.bucket_dir(name))? {
        return Ok(false);
    }
    write_record(layout, name, "")?;
    Ok(true)
}

/// Removes the bucket at `path` and its record. A bucket holding objects is refused unless
/// `force_destroy`; a bucket already gone is fine.
pub fn remove_bucket(layout: &BucketLayout, name: &str, path: &Path, force_destroy: bool) -> BucketResult<()> {
    if bucket_exists(path)? {
        let objects = count_objects(path)?;
        if objects > 0 && !force_destroy {
            return Err(BucketError::NotEmpty { name: name.to_string(), path: path.to_path_buf(), objects });
        }
        std::fs::remove_dir_all(path).map_err(Error::io("removing the bucket", path))?;
    }
    remove_record(layout, name)
}

/// The files (anything but a directory) under `dir`, at any depth; symbolic links are counted,
/// not followed.
pub fn count_objects(dir: &Path) -> BucketResult<usize> {
    let mut count = 0;
    let entries = std::fs::read_dir(dir).map_err(Error::io("listing", dir))?;
    for entry in entries {
        let entry = entry.map_err(Error::io("listing", dir))?;
        let kind = entry.file_type().map_err(Error::io("looking at", entry.path()))?;
        count += if kind.is_dir() { count_objects(&entry.path())? } else { 1 };
    }
    Ok(count)
}

fn write_record(layout: &BucketLayout, name: &str, token: &str) -> BucketResult<()> {
    std::fs::create_dir_all(&layout.records).map_err(Error::io("creating", &layout.records))?;
    let record = BucketRecord {
        version: FORMAT_VERSION,
        name: name.to_string(),
        path: layout.bucket_dir(name),
        idempotency_token: token.to_string(),
    };
    Ok(record::write(&layout.record(name), &record)?)
}

fn remove_record(layout: &BucketLayout, name: &str) -> BucketResult<()> {
    let path = layout.record(name);
    match std::fs::remove_file(&path) {
        Err(error) if error.kind() != ErrorKind::NotFound => {
            Err(Error::Io { action: "removing", path, source: error }.into())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A scratch directory for one test, removed when dropped.
    pub(crate) struct Scratch(pub PathBuf);

    impl Scratch {
        pub(crate) fn new(test: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("strata-local-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        pub(crate) fn layout(&self) -> BucketLayout {
            BucketLayout::new(self.0.join("buckets"), &self.0.join("state"))
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn paths() {
        let layout = BucketLayout::new(DEFAULT_BUCKET_ROOT, Path::new("/var/lib/strata/local"));
        assert_eq!(layout.bucket_dir("input"), Path::new("/mnt/buckets/input"));
        assert_eq!(layout.object_path("input", "2026/a.csv"), Path::new("/mnt/buckets/input/2026/a.csv"));
        assert_eq!(layout.record("input"), Path::new("/var/lib/strata/local/buckets/input.json"));
        assert_eq!(file_url(&layout.bucket_dir("input")), "file:///mnt/buckets/input");
    }

    #[test]
    fn create_refuse_adopt_and_remove() {
        let scratch = Scratch::new("buckets");
        let layout = scratch.layout();
        let path = create_bucket(&layout, "data", "token-1").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o755);
        assert_eq!(std::fs::read_dir(&path).unwrap().count(), 0, "nothing foreign in the bucket");
        assert!(found_by_token(&layout, "data", "token-1").unwrap());
        assert!(!found_by_token(&layout, "data", "token-2").unwrap());
        // A retry of the same create adopts it; any other create is refused.
        assert_eq!(create_bucket(&layout, "data", "token-1").unwrap(), path);
        let error = create_bucket(&layout, "data", "token-2").unwrap_err();
        assert!(matches!(error, BucketError::AlreadyExists { .. }), "{error}");
        assert!(error.to_string().contains("strata import <address> data"), "{error}");

        std::fs::create_dir_all(path.join("in/2026")).unwrap();
        std::fs::write(path.join("in/2026/a.csv"), "1\n").unwrap();
        std::fs::write(path.join("b.csv"), "2\n").unwrap();
        assert_eq!(count_objects(&path).unwrap(), 2);
        let error = remove_bucket(&layout, "data", &path, false).unwrap_err();
        assert!(error.to_string().contains("holds 2 objects"), "{error}");
        assert!(error.to_string().contains("force_destroy = true"), "{error}");
        remove_bucket(&layout, "data", &path, true).unwrap();
        assert!(!path.exists() && !layout.record("data").exists());
        remove_bucket(&layout, "data", &path, false).unwrap();

        assert!(!adopt_bucket(&layout, "data").unwrap());
        std::fs::create_dir_all(&path).unwrap();
        assert!(adopt_bucket(&layout, "data").unwrap());
        let record: BucketRecord = record::read(&layout.record("data")).unwrap().unwrap();
        assert_eq!((record.path, record.idempotency_token), (path.clone(), String::new()));
        remove_bucket(&layout, "data", &path, false).unwrap();
    }

    #[test]
    fn an_unwritable_root_says_how_to_choose_another() {
        let scratch = Scratch::new("bucket-root");
        std::fs::write(scratch.0.join("file"), "").unwrap();
        let layout = BucketLayout::new(scratch.0.join("file/buckets"), &scratch.0);
        let error = create_bucket(&layout, "data", "t").unwrap_err();
        assert!(matches!(error, BucketError::Root { .. }), "{error}");
        assert!(error.to_string().contains("set bucket_root"), "{error}");
    }
}
