//! The state: the record of every object Strata created, kept so it never loses track of one.
//!
//! Main types:
//! - [`State`]: the in-memory model ([`InstanceState`] per resource instance, [`OutputState`],
//!   and [`Intent`]s for creates in flight), changed only through [`Operation`]s.
//! - [`StateStore`]: the local backend. A snapshot file plus an append-only, fsync'd journal;
//!   [`StateStore::record`] returns once an operation is durable, and concurrent records share
//!   one fsync (group commit). [`StateStore::compact`] folds the journal into the snapshot.
//! - [`read_state_file`] / [`write_state_atomically`] / [`load`]: the synchronous file API for
//!   the CLI and tests; the file format is versioned (`format/v1.rs` is the only reader so far).
//! - [`StateLock`]: the exclusive lock on `PATH.lock` that names its holder ([`LockInfo`]).
//! - [`encode_value`] / [`decode_value`]: [`strata_value::Value`] with sensitive marks to and
//!   from plain JSON plus the paths where the marks were.
//!
//! Files on disk for a state at `PATH`: `PATH` (snapshot), `PATH.journal` (operations since
//! the snapshot), `PATH.tmp` (a snapshot being written), `PATH.lock` (lock and holder info).

mod backend;
mod error;
mod format;
mod fs_util;
mod instance;
mod intent;
mod journal;
mod lock;
mod operation;
mod output;
mod path_step;
mod serde_addr;
mod state;
mod store;
mod value_codec;
mod warning;

pub use backend::StateBackend;
pub use error::StateError;
pub use format::{
    FORMAT_NAME, FORMAT_VERSION, read_state_file, state_from_bytes, state_to_bytes, write_state_atomically,
};
pub use instance::{InstanceState, InstanceStatus};
pub use intent::Intent;
pub use journal::load;
pub use lock::{LockError, LockInfo, StateLock, force_unlock};
pub use operation::Operation;
pub use output::OutputState;
pub use path_step::{PathStep, format_path};
pub use state::State;
pub use store::StateStore;
pub use value_codec::{EncodeError, decode_value, encode_value};
pub use warning::StateWarning;
