//! The state: the record of every object Strata created, kept so it never loses track of one.
//!
//! Main types:
//! - [`State`]: the in-memory model ([`InstanceState`] per resource instance, [`OutputState`],
//!   and [`Intent`]s for creates in flight), changed only through [`Operation`]s.
//! - [`StateStore`]: the local backend. A snapshot file plus an append-only, fsync'd journal;
//!   [`StateStore::record`] returns once an operation is durable, and concurrent records share
//!   one fsync (group commit). [`StateStore::compact`] folds the journal into the snapshot.
//! - [`read_state_file`] / [`write_state_atomically`] / [`load`]: the synchronous file API for
//!   the CLI and tests; the file format is versioned (`format/v1.rs`, `format/v2.rs`: one
//!   reader per version, the current one also writes).
//! - [`StateLock`]: the exclusive lock on `PATH.lock` that names its holder ([`LockInfo`]).
//! - [`encode_value`] / [`decode_value`]: [`strata_value::Value`] with sensitive marks to and
//!   from plain JSON plus the paths where the marks were.
//!
//! # Sensitive values at rest
//! In memory, attributes are plain JSON and `sensitive_paths` say where the secrets are, so the
//! engine works with [`decode_value`] as before. On disk (snapshot, journal, and the PostgreSQL
//! backend, which stores the same documents and [`Operation`] JSON) every sensitive value is
//! `{"$encrypted": "<base64>"}`: its JSON encrypted with XChaCha20-Poly1305 under a random
//! nonce, bound to its owner and path (`sealing.rs`). The serialization of snapshots and
//! operations does this, so a backend gets it by using them.
//!
//! The key ([`StateKey`], 32 bytes) comes from a [`KeySource`]: `STRATA_STATE_KEY` (base64)
//! when set; otherwise `.strata/state.key` beside a local state (created, mode 0600 and
//! git-ignored, on the first write that needs it); otherwise, for the PostgreSQL backend and
//! path-less serialization, `.strata/state.key` in the working directory.
//! [`with_key_source`] and [`StateStore::open_with_key_source`] choose another. A missing or
//! wrong key is a [`StateError::Key`] naming the state, where the key was looked up and how
//! to provide it.
//!
//! Files on disk for a state at `PATH`: `PATH` (snapshot), `PATH.journal` (operations since
//! the snapshot), `PATH.tmp` (a snapshot being written), `PATH.lock` (lock and holder info),
//! and, unless `STRATA_STATE_KEY` is set, `DIR/.strata/state.key` (the key) with
//! `DIR/.strata/.gitignore` naming it.

mod backend;
mod edit;
mod error;
mod format;
mod fs_util;
mod instance;
mod intent;
mod journal;
mod key;
mod key_error;
mod key_source;
mod lock;
mod operation;
mod output;
mod path_step;
mod sealing;
mod serde_addr;
mod state;
mod store;
mod value_codec;
mod warning;

pub use backend::StateBackend;
pub use edit::{EditError, StateAddress, move_operation, remove_operation};
pub use error::StateError;
pub use format::{
    FORMAT_NAME, FORMAT_VERSION, read_state_file, state_from_bytes, state_to_bytes, write_state_atomically,
};
pub use instance::{InstanceState, InstanceStatus};
pub use intent::Intent;
pub use journal::{ReadAhead, load};
pub use key::StateKey;
pub use key_error::KeyError;
pub use key_source::{KEY_ENV, KEY_FILE, KeySource, key_file_for, with_key_source};
pub use lock::{LockError, LockInfo, StateLock, force_unlock};
pub use operation::{InstanceMove, Operation};
pub use output::OutputState;
pub use path_step::{PathStep, format_path};
pub use state::State;
pub use store::StateStore;
pub use value_codec::{EncodeError, decode_value, encode_value};
pub use warning::StateWarning;
