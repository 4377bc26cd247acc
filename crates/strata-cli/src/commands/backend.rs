//! Where the state lives: the local files or PostgreSQL, chosen by the configuration's
//! `strata { backend ... }` block, each with its lock.

use std::path::PathBuf;
use std::time::Duration;

use strata_backend_pg::{PgBackend, PgLock};
use strata_config::Config;
use strata_diagnostics::Diagnostic;
use strata_state::{LockError, LockInfo, ReadAhead, State, StateBackend, StateLock, StateStore};

/// The local state's file when the configuration names no other.
pub const DEFAULT_LOCAL_STATE: &str = "strata.state.json";

/// Starts reading the default local state on the second core while the configuration loads
/// (see [`ReadAhead`]); most configurations keep their state there. What was read is used
/// only if the configuration's backend is that file and the file is unchanged once locked.
///
/// `None` when there is no such file, or when loading the configuration would not take long
/// enough to hide the read: then the main thread would only wait for the second one, and the
/// thread, the read under the lock and the comparison cost more than they save (measured: a
/// no-op plan of one resource with `count = 999` was 8 % slower read ahead, one of 1,000
/// resources 8 % faster). Loading takes ~70 ns per byte of configuration and parsing the
/// state ~4 ns per byte, so reading ahead pays when the root module's `.hcl` files are more
/// than a sixteenth of the state's size.
pub fn read_ahead_default_state() -> Option<ReadAhead> {
    let path = std::path::Path::new(DEFAULT_LOCAL_STATE);
    let state_bytes = std::fs::metadata(path).ok()?.len();
    let config_bytes: u64 = std::fs::read_dir(".")
        .ok()?
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "hcl"))
        .filter_map(|entry| entry.metadata().ok())
        .map(|metadata| metadata.len())
        .sum();
    (config_bytes.saturating_mul(16) >= state_bytes).then(|| ReadAhead::start(path))
}

#[derive(Clone, Debug)]
pub enum BackendConfig {
    Local(PathBuf),
    Pg { conn_str: String, schema: String },
}

impl BackendConfig {
    pub fn from_config(config: &Config) -> BackendConfig {
        let backend = config.root.module.settings.as_ref().and_then(|s| s.backend.as_ref());
        let setting =
            |name: &str| backend.and_then(|b| b.settings.get(name)).and_then(|v| v.as_str().map(str::to_owned));
        match backend.map(|b| b.kind.as_str()) {
            Some("pg") => BackendConfig::Pg {
                conn_str: setting("conn_str").unwrap_or_default(),
                schema: setting("schema").unwrap_or_else(|| strata_backend_pg::DEFAULT_SCHEMA.to_owned()),
            },
            _ => {
                BackendConfig::Local(setting("path").map_or_else(|| PathBuf::from(DEFAULT_LOCAL_STATE), PathBuf::from))
            }
        }
    }

    /// The local state path (for commands that only handle local state).
    /// Where the state is, for messages: the file, or the PostgreSQL schema (never the
    /// connection string, which may hold a password).
    pub fn describe(&self) -> String {
        match self {
            BackendConfig::Local(path) => path.display().to_string(),
            BackendConfig::Pg { schema, .. } => format!("PostgreSQL schema \"{schema}\""),
        }
    }

    pub fn local_path(&self) -> Option<&PathBuf> {
        match self {
            BackendConfig::Local(path) => Some(path),
            BackendConfig::Pg { .. } => None,
        }
    }
}

/// Held for as long as the run may write state.
/// (Boxed: the two locks differ a lot in size, and there is one per run.)
pub enum Guard {
    Local(#[allow(dead_code)] Box<StateLock>),
    Pg(#[allow(dead_code)] Box<PgLock>),
}

impl Guard {
    /// Releases the lock now. The local lock is released on drop anyway; a PostgreSQL advisory
    /// lock would be released only when the server notices the closed session, a moment after
    /// exit, which would make an immediately following command fail on the lock.
    pub async fn release(self) {
        if let Guard::Pg(lock) = self {
            let _ = lock.release().await;
        }
    }
}

pub enum Store {
    Local(StateStore),
    Pg(PgBackend),
}

impl Store {
    pub fn backend(&self) -> &dyn StateBackend {
        match self {
            Store::Local(store) => store,
            Store::Pg(store) => store,
        }
    }
}

/// Locks and opens the state. Every failure is a diagnostic naming the state and, for a held
/// lock, its holder.
pub async fn open(
    backend: &BackendConfig,
    operation: &str,
    timeout: Duration,
) -> Result<(Guard, Store, State), Diagnostic> {
    let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let info = LockInfo::new(operation, who);
    match backend {
        BackendConfig::Local(path) => {
            let lock = StateLock::acquire(path, info, timeout).map_err(lock_diagnostic)?;
            let (store, state, _) =
                StateStore::open(path).await.map_err(|e| Diagnostic::error("Failed to read state", e.to_string()))?;
            Ok((Guard::Local(Box::new(lock)), Store::Local(store), state))
        }
        BackendConfig::Pg { conn_str, schema } => {
            let name = strata_backend_pg::DEFAULT_STATE_NAME;
            let lock = PgLock::acquire(conn_str, schema, name, info, timeout).await.map_err(lock_diagnostic)?;
            let (store, state, _) = PgBackend::open(conn_str, schema, name)
                .await
                .map_err(|e| Diagnostic::error("Failed to read state", e.to_string()))?;
            Ok((Guard::Pg(Box::new(lock)), Store::Pg(store), state))
        }
    }
}

/// Locks and reads the state for a run that only reads it (plan): no journal writer is
/// started and nothing on disk is repaired or upgraded, which is the next writer's job.
pub async fn open_read(
    backend: &BackendConfig,
    operation: &str,
    timeout: Duration,
    read_ahead: Option<ReadAhead>,
) -> Result<(Guard, State), Diagnostic> {
    match backend {
        BackendConfig::Local(path) => {
            let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            let lock = StateLock::acquire(path, LockInfo::new(operation, who), timeout).map_err(lock_diagnostic)?;
            let loaded = match read_ahead.filter(|ahead| ahead.path() == path) {
                Some(ahead) => ahead.load(),
                None => strata_state::load(path),
            };
            let (state, _) = loaded.map_err(|e| Diagnostic::error("Failed to read state", e.to_string()))?;
            Ok((Guard::Local(Box::new(lock)), state))
        }
        BackendConfig::Pg { .. } => open(backend, operation, timeout).await.map(|(guard, _, state)| (guard, state)),
    }
}

/// The state for commands that only read it (`state list|show|pull`, `output`, `show`,
/// `logs`), without a lock, from whichever backend the configuration names; `Ok(None)` when
/// there is no state yet.
pub fn read_state(backend: &BackendConfig) -> Result<Option<State>, String> {
    match backend {
        BackendConfig::Local(path) => match strata_state::load(path) {
            Ok((state, _)) => Ok(Some(state)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.to_string()),
        },
        BackendConfig::Pg { conn_str, schema } => super::runtime().block_on(async {
            let name = strata_backend_pg::DEFAULT_STATE_NAME;
            let (store, state, _) = PgBackend::open(conn_str, schema, name).await.map_err(|e| e.to_string())?;
            store.close().await;
            Ok((state.serial > 0 || !state.resources.is_empty()).then_some(state))
        }),
    }
}

/// `strata force-unlock ID` for either backend.
pub fn force_unlock(backend: &BackendConfig, id: &str) -> Result<LockInfo, String> {
    match backend {
        BackendConfig::Local(path) => strata_state::force_unlock(path, id).map_err(|e| e.to_string()),
        BackendConfig::Pg { conn_str, schema } => super::runtime().block_on(async {
            strata_backend_pg::force_unlock(conn_str, schema, strata_backend_pg::DEFAULT_STATE_NAME, id)
                .await
                .map_err(|e| e.to_string())
        }),
    }
}

/// Opens the state again for a run that still holds its lock (the release step of apply reads
/// the state the apply left).
pub async fn reopen(backend: &BackendConfig) -> Result<(Store, State), Diagnostic> {
    let failed = |e: strata_state::StateError| Diagnostic::error("Failed to read state", e.to_string());
    match backend {
        BackendConfig::Local(path) => {
            let (store, state, _) = StateStore::open(path).await.map_err(failed)?;
            Ok((Store::Local(store), state))
        }
        BackendConfig::Pg { conn_str, schema } => {
            let name = strata_backend_pg::DEFAULT_STATE_NAME;
            let (store, state, _) = PgBackend::open(conn_str, schema, name)
                .await
                .map_err(|e| Diagnostic::error("Failed to read state", e.to_string()))?;
            Ok((Store::Pg(store), state))
        }
    }
}

fn lock_diagnostic(error: LockError) -> Diagnostic {
    match error {
        LockError::Held { path, holder: Some(holder) } => Diagnostic::error(
            "Error acquiring the state lock",
            format!(
                "The state at {} is locked by another run: pid {} on {}, operation \"{}\", since {} (lock id {}).",
                path.display(),
                holder.pid,
                holder.host,
                holder.operation,
                holder.created,
                holder.id
            ),
        )
        .with_hint(format!(
            "wait for it to finish, pass --lock-timeout, or if it crashed: strata force-unlock {}",
            holder.id
        )),
        other => Diagnostic::error("Error acquiring the state lock", other.to_string()),
    }
}
