//! The PostgreSQL state backend (`backend "pg" { conn_str, schema }`): [`PgBackend`] keeps a
//! state in a database so a team shares it, and [`PgLock`] is its state lock.
//!
//! # Layout
//! Everything lives in one schema (default [`DEFAULT_SCHEMA`], created with its tables when
//! absent); one schema holds any number of states, each under a name (default
//! [`DEFAULT_STATE_NAME`], a workspace):
//!
//! | table | columns | what |
//! |---|---|---|
//! | `states` | `name text primary key, lineage text, serial bigint, snapshot bytea` | the last compacted snapshot, in the versioned state file format ([`strata_state::state_to_bytes`]) |
//! | `journal` | `name text, serial bigint, operation json, primary key (name, serial)` | one row per [`strata_state::Operation`] recorded since the snapshot |
//! | `locks` | `name text primary key, pid integer, info jsonb` | who holds the lock ([`strata_state::LockInfo`]) and the server process id of their lock session |
//! | `meta` | `key text primary key, value text` | `layout_version` = `1`: the version of this table layout |
//!
//! `operation` is `json`, not `jsonb`, on purpose: `json` keeps the text exactly as written
//! (object key order, number spelling) so a replayed operation is the one recorded, and it
//! accepts every string a provider can return, where `jsonb` rejects `\u0000`.
//!
//! # Reading and writing
//! [`PgBackend::open`] reads the snapshot and replays the journal rows above its serial, in
//! order, through [`strata_state::State::apply`] (the local store's path), in one
//! repeatable-read transaction, so a concurrent compaction cannot be seen half done.
//! [`PgBackend::record`] inserts one journal row and returns its serial once the insert has
//! committed; PostgreSQL fsyncs its write-ahead log on commit (with the default
//! `synchronous_commit = on`), so a returned serial is durable. Records go through one writer
//! task that takes everything queued when it is free and inserts it with one statement, one
//! commit (group commit), so many concurrent completions cost one WAL flush.
//! [`PgBackend::compact`] writes a new snapshot and deletes the journal rows it covers, in one
//! transaction. The journal's primary key also fences writers: a second writer of the same state
//! fails on its first duplicate serial instead of interleaving silently.
//!
//! # Locking
//! [`PgLock::acquire`] takes a session-level advisory lock (`pg_try_advisory_lock`, keyed by a
//! hash of schema and name, see [`lock_key`]) on a connection it keeps open for the lock's
//! lifetime, retrying until a timeout, and writes its [`strata_state::LockInfo`] into `locks`
//! so a waiter is told who holds it ([`strata_state::LockError::Held`]). PostgreSQL releases an
//! advisory lock when its session ends, so a crashed or killed run cannot leave a stale lock:
//! its row in `locks` may remain, but it is only reported while the process id it names still
//! holds the advisory lock. [`force_unlock`] is for a holder that hangs with its session open:
//! it terminates that session (`pg_terminate_backend`), which needs superuser, the holder's
//! role, or `pg_signal_backend`.
//!
//! # Connections
//! `conn_str` is a libpq-style string or URL (`host=127.0.0.1 port=5432 user=strata
//! dbname=strata`). Connections are not encrypted (no TLS): use a Unix socket, loopback, or a
//! network you trust. Without `connect_timeout` in `conn_str`, connecting gives up after
//! [`DEFAULT_CONNECT_TIMEOUT`]. Everything here is async and needs a tokio runtime.

mod backend;
mod db;
mod location;
mod lock;
mod writer;

pub use backend::PgBackend;
pub use db::DEFAULT_CONNECT_TIMEOUT;
pub use location::{DEFAULT_SCHEMA, DEFAULT_STATE_NAME, LAYOUT_VERSION, lock_key};
pub use lock::{PgLock, force_unlock};
