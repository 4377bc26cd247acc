//! [`PgLock`]: the state lock as a PostgreSQL advisory lock, and [`force_unlock`].

use std::path::PathBuf;
use std::time::Duration;

use strata_state::{LockError, LockInfo};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_postgres::Client;

use crate::db::{self, lock_error};
use crate::location::{Location, lock_key};

const FIRST_PAUSE: Duration = Duration::from_millis(50);
const LONGEST_PAUSE: Duration = Duration::from_millis(200);
/// How long [`force_unlock`] waits for a terminated session to let go of the lock.
const TERMINATE_WAIT: Duration = Duration::from_secs(10);

/// The exclusive lock on one state (`SCHEMA`, `NAME`), held by a connection of its own until
/// [`PgLock::release`] or drop.
///
/// The lock is a session-level advisory lock: PostgreSQL releases it when the session ends, so
/// a run that crashes, is killed or loses its connection never leaves the state locked. (Losing
/// the connection also loses the lock while the run goes on; [`PgLock::is_held`] tells.)
pub struct PgLock {
    client: Client,
    driver: JoinHandle<()>,
    location: Location,
    key: i64,
    info: LockInfo,
}

impl std::fmt::Debug for PgLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgLock").field("location", &self.location.path()).field("info", &self.info).finish()
    }
}

impl PgLock {
    /// Takes the lock on the state `name` in `schema`, retrying every 50 to 200 ms until
    /// `timeout` has passed (a zero timeout tries once). Fails with [`LockError::Held`] naming
    /// the holder, whose path is `pg:SCHEMA/NAME`. Creates the schema's tables when absent.
    pub async fn acquire(
        conn_str: &str,
        schema: &str,
        name: &str,
        info: LockInfo,
        timeout: Duration,
    ) -> Result<PgLock, LockError> {
        let location = Location::new(schema, name);
        let key = lock_key(schema, name);
        let connection = db::connect(conn_str).await.map_err(|e| lock_error("connect for", &location, &e))?;
        // From here on, dropping `lock` closes the session, and with it any advisory lock taken.
        let mut lock = PgLock { client: connection.client, driver: connection.driver, location, key, info };
        db::ensure_schema(&mut lock.client, &lock.location).await.map_err(|e| e.into_lock_error(&lock.location))?;
        let info_json = serde_json::to_string(&lock.info).map_err(|e| LockError::Io {
            action: "write lock information for",
            path: lock.path(),
            source: e.into(),
        })?;
        let deadline = Instant::now() + timeout;
        let mut pause = FIRST_PAUSE;
        loop {
            let error = |e: tokio_postgres::Error| lock_error("lock", &lock.location, &e);
            let taken: bool =
                lock.client.query_one("SELECT pg_try_advisory_lock($1)", &[&key]).await.map_err(error)?.get(0);
            if taken {
                lock.client
                    .execute(
                        &format!(
                            "INSERT INTO {} (name, pid, info) VALUES ($1, pg_backend_pid(), $2::text::jsonb) \
                             ON CONFLICT (name) DO UPDATE SET pid = EXCLUDED.pid, info = EXCLUDED.info",
                            lock.location.locks
                        ),
                        &[&lock.location.name, &info_json],
                    )
                    .await
                    .map_err(|e| lock_error("write lock information for", &lock.location, &e))?;
                return Ok(lock);
            }
            let now = Instant::now();
            if now >= deadline {
                let holder = holder(&lock.client, &lock.location, key).await?.map(|(info, _)| info);
                return Err(LockError::Held { path: lock.path(), holder });
            }
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = (pause * 2).min(LONGEST_PAUSE);
        }
    }

    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// `pg:SCHEMA/NAME`, the name errors give the lock.
    pub fn path(&self) -> PathBuf {
        self.location.path()
    }

    /// Whether this lock's session still holds the advisory lock (false after its connection
    /// was lost or terminated by [`force_unlock`]).
    pub async fn is_held(&self) -> Result<bool, LockError> {
        let query = format!("SELECT EXISTS (SELECT 1 FROM pg_locks p WHERE p.pid = pg_backend_pid() AND {HOLDS})");
        match self.client.query_one(&query, &key_parameters(self.key).as_params()).await {
            Ok(row) => Ok(row.get(0)),
            Err(error) if error.is_closed() => Ok(false),
            Err(error) => Err(lock_error("check the lock on", &self.location, &error)),
        }
    }

    /// Removes the lock information and releases the lock, then closes the connection.
    /// Dropping the lock releases it too (the session ends), but leaves the information row
    /// behind until the next holder replaces it; it is never reported, since no session holds
    /// the lock for it.
    pub async fn release(self) -> Result<(), LockError> {
        let error = |e: tokio_postgres::Error| lock_error("unlock", &self.location, &e);
        self.client
            .execute(
                &format!("DELETE FROM {} WHERE name = $1 AND pid = pg_backend_pid()", self.location.locks),
                &[&self.location.name],
            )
            .await
            .map_err(error)?;
        self.client.query_one("SELECT pg_advisory_unlock($1)", &[&self.key]).await.map_err(error)?;
        Ok(())
    }
}

impl Drop for PgLock {
    /// Closes the socket at once; the server then ends the session and releases the lock.
    fn drop(&mut self) {
        self.driver.abort();
    }
}

/// Ends the session holding the lock on the state `name` in `schema` if its information
/// carries `id`, for a holder that hangs with its connection open. Returns the holder's
/// information. Needs the right to `pg_terminate_backend` that session: superuser, the holder's
/// own role, or membership in `pg_signal_backend`. The holder's process keeps running without
/// its lock (its next journal insert after another writer's fails on a duplicate serial); this
/// is for the user to decide, like Terraform's `force-unlock`.
pub async fn force_unlock(conn_str: &str, schema: &str, name: &str, id: &str) -> Result<LockInfo, LockError> {
    let location = Location::new(schema, name);
    let key = lock_key(schema, name);
    let connection = db::connect(conn_str).await.map_err(|e| lock_error("connect for", &location, &e))?;
    let mut client = connection.client;
    db::ensure_schema(&mut client, &location).await.map_err(|e| e.into_lock_error(&location))?;
    let Some((info, pid)) = holder(&client, &location, key).await? else {
        return Err(LockError::NotLocked { path: location.path() });
    };
    if info.id != id {
        return Err(LockError::IdMismatch { path: location.path(), given: id.to_owned(), holder: info });
    }
    let error = |e: tokio_postgres::Error| lock_error("terminate the session holding", &location, &e);
    client.query_one("SELECT pg_terminate_backend($1)", &[&pid]).await.map_err(error)?;
    let deadline = Instant::now() + TERMINATE_WAIT;
    while holder(&client, &location, key).await?.is_some_and(|(_, holding)| holding == pid) {
        if Instant::now() >= deadline {
            let message = format!("server process {pid} was told to terminate but still holds the lock");
            return Err(LockError::Io {
                action: "force-unlock",
                path: location.path(),
                source: std::io::Error::other(message),
            });
        }
        tokio::time::sleep(FIRST_PAUSE).await;
    }
    client
        .execute(&format!("DELETE FROM {} WHERE name = $1 AND pid = $2", location.locks), &[&location.name, &pid])
        .await
        .map_err(error)?;
    drop(client);
    connection.driver.abort();
    Ok(info)
}

/// The advisory lock `$1`/`$2` (high and low 32 bits of the key) in this database, granted.
/// `pg_locks` shows a `bigint` advisory key as `classid` (high half), `objid` (low half) and
/// `objsubid` 1.
const HOLDS: &str = "p.locktype = 'advisory' AND p.granted AND p.classid = $1::bigint::oid \
                     AND p.objid = $2::bigint::oid AND p.objsubid = 1 \
                     AND p.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

struct KeyParameters {
    high: i64,
    low: i64,
}

impl KeyParameters {
    fn as_params(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 2] {
        [&self.high, &self.low]
    }
}

fn key_parameters(key: i64) -> KeyParameters {
    let bits = key as u64;
    KeyParameters { high: (bits >> 32) as i64, low: (bits & 0xffff_ffff) as i64 }
}

/// Who holds the lock: the stored information and server process id, but only while that
/// process holds the advisory lock (a row left by a crashed holder is not reported).
async fn holder(client: &Client, location: &Location, key: i64) -> Result<Option<(LockInfo, i32)>, LockError> {
    let query = format!(
        "SELECT l.info::text, l.pid FROM {} l WHERE l.name = $3 \
         AND EXISTS (SELECT 1 FROM pg_locks p WHERE p.pid = l.pid AND {HOLDS})",
        location.locks
    );
    let keys = key_parameters(key);
    let [high, low] = keys.as_params();
    let row = client
        .query_opt(&query, &[high, low, &location.name])
        .await
        .map_err(|e| lock_error("read lock information for", location, &e))?;
    Ok(row.and_then(|row| {
        let text: &str = row.get(0);
        // Unreadable information (written by hand) is reported as unknown, like a lock file
        // being written.
        serde_json::from_str(text).ok().map(|info| (info, row.get(1)))
    }))
}
