//! Where a state's key comes from, and which one serialization uses.
//!
//! The rules (also in `docs/formats.md`):
//! - `STRATA_STATE_KEY`, when set and not empty, is the key (base64 of 32 bytes), for every
//!   state and backend.
//! - Otherwise a local state at `DIR/NAME` uses the key file `DIR/.strata/state.key`, created
//!   (mode 0600, with `DIR/.strata/.gitignore` naming it) the first time a sensitive value is
//!   written, so the local workflow needs no setup.
//! - Otherwise the PostgreSQL backend, and serialization not tied to a state file
//!   ([`crate::state_to_bytes`], [`crate::state_from_bytes`], serde of [`crate::Operation`]), use
//!   `.strata/state.key` in the working directory, created the same way. A team sharing a
//!   database state sets `STRATA_STATE_KEY` instead.
//!
//! [`with_key_source`] overrides the choice for whatever the closure serializes or parses.
//! A key is needed only when there is something to encrypt or decrypt: a state without
//! sensitive values reads and writes without one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use crate::{KeyError, StateKey};

/// The environment variable holding the key in base64.
pub const KEY_ENV: &str = "STRATA_STATE_KEY";
/// The key file, relative to the directory of a local state (or the working directory).
pub const KEY_FILE: &str = ".strata/state.key";

/// Ciphertexts remembered for reuse, at most this many per source (then forgotten at once).
const MAX_REMEMBERED: usize = 100_000;

/// Where a state's key comes from: a given key, `STRATA_STATE_KEY`, or a key file. Cheap to
/// clone (clones share the key once it is found).
///
/// It also remembers the ciphertext of each value it encrypted or decrypted, so writing an
/// unchanged value again reuses its ciphertext instead of drawing a new nonce: a state read and
/// written back is byte-identical, and diffs between serials show only what changed.
#[derive(Clone)]
pub struct KeySource(Arc<Inner>);

struct Inner {
    origin: Origin,
    key: Mutex<Option<StateKey>>,
    ciphertexts: Mutex<HashMap<[u8; 32], String>>,
}

enum Origin {
    Given(StateKey),
    Environment(String),
    File { path: PathBuf, environment: bool },
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeySource({})", self.describe())
    }
}

impl KeySource {
    /// The key of the local state at `state_path`: `STRATA_STATE_KEY` if set, otherwise
    /// [`key_file_for`]`(state_path)`.
    pub fn for_local_state(state_path: &Path) -> KeySource {
        KeySource::environment_or_file(std::env::var(KEY_ENV).ok(), key_file_for(state_path))
    }

    /// `STRATA_STATE_KEY` if set, otherwise `.strata/state.key` in the working directory: the
    /// PostgreSQL backend's key, and the default of path-less serialization.
    pub fn for_working_directory() -> KeySource {
        let file = std::path::absolute(KEY_FILE).unwrap_or_else(|_| PathBuf::from(KEY_FILE));
        KeySource::environment_or_file(std::env::var(KEY_ENV).ok(), file)
    }

    /// Only the key file at `path` (created on first write), whatever the environment says.
    pub fn key_file(path: impl Into<PathBuf>) -> KeySource {
        KeySource::new(Origin::File { path: path.into(), environment: false })
    }

    /// Exactly `key`.
    pub fn given(key: StateKey) -> KeySource {
        KeySource::new(Origin::Given(key))
    }

    /// `environment` (the variable's value) when it is not empty, otherwise the key file.
    pub(crate) fn environment_or_file(environment: Option<String>, file: PathBuf) -> KeySource {
        match environment.filter(|text| !text.trim().is_empty()) {
            Some(text) => KeySource::new(Origin::Environment(text)),
            None => KeySource::new(Origin::File { path: file, environment: true }),
        }
    }

    fn new(origin: Origin) -> KeySource {
        KeySource(Arc::new(Inner { origin, key: Mutex::new(None), ciphertexts: Mutex::new(HashMap::new()) }))
    }

    /// Where the key is looked up, for messages: `STRATA_STATE_KEY`, `the key file PATH`.
    pub fn describe(&self) -> String {
        match &self.0.origin {
            Origin::Given(_) => "the key given by the caller".to_owned(),
            Origin::Environment(_) => KEY_ENV.to_owned(),
            Origin::File { path, .. } => format!("the key file {}", path.display()),
        }
    }

    /// The key file this source reads (and creates), if it uses one.
    pub fn file(&self) -> Option<&Path> {
        match &self.0.origin {
            Origin::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The key, to decrypt: a missing key file is an error.
    pub(crate) fn for_reading(&self) -> Result<StateKey, KeyError> {
        self.resolve(false)
    }

    /// The key, to encrypt: a missing key file is created with a new random key.
    pub(crate) fn for_writing(&self) -> Result<StateKey, KeyError> {
        self.resolve(true)
    }

    fn resolve(&self, create: bool) -> Result<StateKey, KeyError> {
        let mut cached = lock(&self.0.key);
        if let Some(key) = &*cached {
            return Ok(key.clone());
        }
        let key = match &self.0.origin {
            Origin::Given(key) => key.clone(),
            Origin::Environment(text) => StateKey::from_base64(text, KEY_ENV)?,
            Origin::File { path, environment } => match read_key_file(path)? {
                Some(key) => key,
                None if create => create_key_file(path)?,
                None => return Err(KeyError::Missing { file: path.clone(), environment: *environment }),
            },
        };
        *cached = Some(key.clone());
        Ok(key)
    }

    /// The ciphertext last made or read for `digest` (of associated data and plaintext).
    pub(crate) fn remembered(&self, digest: &[u8; 32]) -> Option<String> {
        lock(&self.0.ciphertexts).get(digest).cloned()
    }

    pub(crate) fn remember(&self, digest: [u8; 32], ciphertext: &str) {
        let mut ciphertexts = lock(&self.0.ciphertexts);
        if ciphertexts.len() >= MAX_REMEMBERED {
            ciphertexts.clear();
        }
        ciphertexts.insert(digest, ciphertext.to_owned());
    }
}

/// `DIR/.strata/state.key` for a state at `DIR/NAME` (absolute when the working directory is
/// known, so messages name it fully).
pub fn key_file_for(state_path: &Path) -> PathBuf {
    let dir = match state_path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file = dir.join(KEY_FILE);
    std::path::absolute(&file).unwrap_or(file)
}

thread_local! {
    /// Sources set by [`with_key_source`] on this thread, innermost last.
    static SCOPES: RefCell<Vec<KeySource>> = const { RefCell::new(Vec::new()) };
}

static WORKING_DIRECTORY: LazyLock<KeySource> = LazyLock::new(KeySource::for_working_directory);

/// Runs `f` with `source` as the key of everything it serializes or parses on this thread
/// without naming a key itself: [`crate::state_to_bytes`], [`crate::state_from_bytes`],
/// [`crate::read_state_file`], [`crate::write_state_atomically`], [`crate::load`] and serde of
/// [`crate::Operation`].
pub fn with_key_source<R>(source: &KeySource, f: impl FnOnce() -> R) -> R {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            SCOPES.with(|scopes| scopes.borrow_mut().pop());
        }
    }
    SCOPES.with(|scopes| scopes.borrow_mut().push(source.clone()));
    let _pop = Pop;
    f()
}

/// The source set by [`with_key_source`], if any.
pub(crate) fn scoped() -> Option<KeySource> {
    SCOPES.with(|scopes| scopes.borrow().last().cloned())
}

/// The scoped source, or the working directory's.
pub(crate) fn current() -> KeySource {
    scoped().unwrap_or_else(|| WORKING_DIRECTORY.clone())
}

/// The scoped source, or the one of the local state at `path`.
pub(crate) fn for_path(path: &Path) -> KeySource {
    scoped().unwrap_or_else(|| KeySource::for_local_state(path))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data is a cache; a panic elsewhere cannot leave it half changed.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read_key_file(path: &Path) -> Result<Option<StateKey>, KeyError> {
    match fs::read_to_string(path) {
        Ok(text) => StateKey::from_base64(&text, &format!("the key file {}", path.display())).map(Some),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyError::KeyFile { action: "read", file: path.to_owned(), source }),
    }
}

/// Writes a new random key to `path`, readable by the owner only. The key is written to a
/// temporary file and linked into place, so a reader never sees a partial key and a concurrent
/// creator's key wins cleanly (then that one is used).
fn create_key_file(path: &Path) -> Result<StateKey, KeyError> {
    let error = |action| move |source| KeyError::KeyFile { action, file: path.to_owned(), source };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    create_private_dir(dir).map_err(error("create the directory of"))?;
    ignore_in_git(dir, path).map_err(error("write a .gitignore entry for"))?;
    let key = StateKey::generate()?;
    let tmp = dir.join(format!(".state.key.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = write_private(&tmp, format!("{}\n", key.to_base64()).as_bytes());
    let linked = written.and_then(|()| fs::hard_link(&tmp, path));
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        // Another process created it first: use theirs.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return read_key_file(path)?.ok_or_else(|| KeyError::KeyFile {
                action: "read",
                file: path.to_owned(),
                source: io::ErrorKind::NotFound.into(),
            });
        }
        // A file system without hard links: create the file in place.
        Err(_) => write_private(path, format!("{}\n", key.to_base64()).as_bytes()).map_err(error("create"))?,
    }
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(error("fsync the directory of"))?;
    Ok(key)
}

fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes sure `DIR/.gitignore` names the key file, so it is not committed by accident (the
/// rest of `.strata/`, such as pinned provider plugins, may well be). A `.gitignore` Strata
/// creates names itself as well; one that exists only gets the key's line appended.
fn ignore_in_git(dir: &Path, key_file: &Path) -> io::Result<()> {
    let name = key_file.file_name().map_or_else(|| "state.key".into(), |n| n.to_string_lossy().into_owned());
    let gitignore = dir.join(".gitignore");
    let existing = match fs::read_to_string(&gitignore) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    if existing.lines().any(|line| line.trim() == name || line.trim() == format!("/{name}")) {
        return Ok(());
    }
    let mut text = String::new();
    if existing.is_empty() {
        // Ignores itself too, so a directory holding only the key shows nothing to commit.
        text.push_str("# Written by Strata: the state key must never be committed.\n/.gitignore\n");
    } else if !existing.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("/{name}\n"));
    OpenOptions::new().create(true).append(true).open(&gitignore)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_file_is_created_private_and_git_ignored_on_first_write() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("strata.state.json");
        let file = key_file_for(&state);
        assert_eq!(file, dir.path().join(".strata/state.key"));
        let source = KeySource::key_file(&file);

        let error = source.for_reading().unwrap_err();
        assert!(matches!(&error, KeyError::Missing { environment: false, .. }), "{error:?}");
        assert!(!file.exists(), "reading never creates a key");

        let key = source.for_writing().unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), format!("{}\n", key.to_base64()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(
            fs::read_to_string(dir.path().join(".strata/.gitignore")).unwrap(),
            "# Written by Strata: the state key must never be committed.\n/.gitignore\n/state.key\n"
        );
        let leftovers: Vec<_> =
            fs::read_dir(dir.path().join(".strata")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 2, "no temporary file is left: {leftovers:?}");

        // A new source finds the same key; an existing .gitignore gets the line once.
        assert_eq!(KeySource::key_file(&file).for_reading().unwrap(), key);
        ignore_in_git(&dir.path().join(".strata"), &file).unwrap();
        let gitignore = fs::read_to_string(dir.path().join(".strata/.gitignore")).unwrap();
        assert_eq!(gitignore.matches("state.key").count(), 1, "{gitignore}");
    }

    #[test]
    fn an_existing_gitignore_is_extended_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".strata")).unwrap();
        fs::write(dir.path().join(".strata/.gitignore"), "providers/cache").unwrap();
        KeySource::key_file(dir.path().join(".strata/state.key")).for_writing().unwrap();
        let gitignore = fs::read_to_string(dir.path().join(".strata/.gitignore")).unwrap();
        assert_eq!(gitignore, "providers/cache\n/state.key\n");
    }

    #[test]
    fn the_environment_wins_over_the_key_file_and_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".strata/state.key");
        let key = StateKey::generate().unwrap();
        let source = KeySource::environment_or_file(Some(key.to_base64()), file.clone());
        assert_eq!(source.describe(), "STRATA_STATE_KEY");
        assert_eq!(source.for_writing().unwrap(), key);
        assert!(!file.exists(), "with STRATA_STATE_KEY set, no key file is made");

        let blank = KeySource::environment_or_file(Some(" ".into()), file.clone());
        assert_eq!(blank.describe(), format!("the key file {}", file.display()));
        let missing = blank.for_reading().unwrap_err().to_string();
        assert!(missing.contains("STRATA_STATE_KEY is not set and the key file"), "{missing}");

        let invalid = KeySource::environment_or_file(Some("abc".into()), file).for_reading().unwrap_err();
        assert!(invalid.to_string().starts_with("STRATA_STATE_KEY is not a valid state key"), "{invalid}");
    }

    #[test]
    fn scopes_nest_and_end_with_their_closure() {
        let outer = KeySource::given(StateKey::generate().unwrap());
        let inner = KeySource::key_file("/x/.strata/state.key");
        assert!(scoped().is_none());
        with_key_source(&outer, || {
            assert_eq!(current().describe(), "the key given by the caller");
            with_key_source(&inner, || assert_eq!(current().describe(), "the key file /x/.strata/state.key"));
            assert_eq!(for_path(Path::new("/y/s.json")).describe(), "the key given by the caller");
        });
        assert!(scoped().is_none());
        assert!(
            for_path(Path::new("/y/s.json")).describe().contains("/y/.strata/state.key")
                || std::env::var(KEY_ENV).is_ok()
        );
    }
}
