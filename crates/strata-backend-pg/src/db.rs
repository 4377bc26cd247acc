//! Connecting, creating the schema, and turning database errors into the state's error types.

use std::error::Error as _;
use std::io;
use std::time::Duration;

use strata_state::{LockError, StateError};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, Config, NoTls};

use crate::location::{LAYOUT_VERSION, Location, schema_init_key};

/// How long connecting may take when `conn_str` sets no `connect_timeout`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection: the client, and the task driving its socket. Aborting the task closes the
/// socket, which ends the server session (and releases its advisory locks).
pub(crate) struct Connection {
    pub(crate) client: Client,
    pub(crate) driver: JoinHandle<()>,
}

/// Connects without TLS. Names the connection `strata` in `pg_stat_activity` unless
/// `conn_str` sets `application_name`.
pub(crate) async fn connect(conn_str: &str) -> Result<Connection, tokio_postgres::Error> {
    let mut config: Config = conn_str.parse()?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(DEFAULT_CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("strata");
    }
    let (client, connection) = config.connect(NoTls).await?;
    // The error, if any, reaches the caller through the client's next request ("connection
    // closed"); there is no one else to tell here.
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Connection { client, driver })
}

/// Creates the schema and its tables when absent, and checks the layout version. Concurrent
/// callers are serialized by a transaction-level advisory lock.
pub(crate) async fn ensure_schema(client: &mut Client, location: &Location) -> Result<(), SchemaError> {
    let schema = location.quoted_schema();
    let Location { states, journal, locks, meta, .. } = location;
    let init_key = schema_init_key(&location.schema);
    let transaction = client.transaction().await?;
    transaction
        .batch_execute(&format!(
            "SELECT pg_advisory_xact_lock({init_key});
             CREATE SCHEMA IF NOT EXISTS {schema};
             CREATE TABLE IF NOT EXISTS {meta} (key text PRIMARY KEY, value text NOT NULL);
             INSERT INTO {meta} (key, value) VALUES ('layout_version', '{LAYOUT_VERSION}')
                 ON CONFLICT (key) DO NOTHING;
             CREATE TABLE IF NOT EXISTS {states} (
                 name text PRIMARY KEY,
                 lineage text NOT NULL,
                 serial bigint NOT NULL,
                 snapshot bytea NOT NULL);
             CREATE TABLE IF NOT EXISTS {journal} (
                 name text NOT NULL,
                 serial bigint NOT NULL,
                 operation json NOT NULL,
                 PRIMARY KEY (name, serial));
             CREATE TABLE IF NOT EXISTS {locks} (
                 name text PRIMARY KEY,
                 pid integer NOT NULL,
                 info jsonb NOT NULL);"
        ))
        .await?;
    let version: String =
        transaction.query_one(&format!("SELECT value FROM {meta} WHERE key = 'layout_version'"), &[]).await?.get(0);
    transaction.commit().await?;
    if version != LAYOUT_VERSION.to_string() {
        return Err(SchemaError::Version(version));
    }
    Ok(())
}

/// Why [`ensure_schema`] failed.
pub(crate) enum SchemaError {
    Database(tokio_postgres::Error),
    /// The schema's tables were laid out by a different (newer) Strata.
    Version(String),
}

impl From<tokio_postgres::Error> for SchemaError {
    fn from(error: tokio_postgres::Error) -> SchemaError {
        SchemaError::Database(error)
    }
}

impl SchemaError {
    pub(crate) fn into_state_error(self, location: &Location) -> StateError {
        match self {
            SchemaError::Database(error) => state_error("create the tables of", location, &error),
            SchemaError::Version(found) => StateError::UnsupportedVersion {
                path: location.path(),
                // A version that is not a number is from no Strata we know: call it newer.
                found: found.parse().unwrap_or(u64::MAX),
                supported: LAYOUT_VERSION,
            },
        }
    }

    pub(crate) fn into_lock_error(self, location: &Location) -> LockError {
        match self {
            SchemaError::Database(error) => lock_error("create the tables of", location, &error),
            SchemaError::Version(found) => {
                let message = format!(
                    "its table layout is version {found}, but this version of Strata uses only version \
                     {LAYOUT_VERSION}; it was set up by a newer Strata, so upgrade Strata to use it"
                );
                LockError::Io { action: "use the schema of", path: location.path(), source: io::Error::other(message) }
            }
        }
    }
}

/// The error with every cause: tokio-postgres prints only "db error" for a server error and
/// keeps the server's message (severity, message, detail, hint) in its source.
pub(crate) fn describe(error: &tokio_postgres::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A database failure as a [`StateError`]: "could not {action} pg:SCHEMA/NAME: {error}".
pub(crate) fn state_error(action: &'static str, location: &Location, error: &tokio_postgres::Error) -> StateError {
    StateError::Io { action, path: location.path(), source: io::Error::other(describe(error)) }
}

/// A database failure as a [`LockError`].
pub(crate) fn lock_error(action: &'static str, location: &Location, error: &tokio_postgres::Error) -> LockError {
    LockError::Io { action, path: location.path(), source: io::Error::other(describe(error)) }
}

/// A serial as stored (`bigint`). Serials count records, so they never reach `i64::MAX`.
pub(crate) fn to_sql_serial(serial: u64) -> i64 {
    i64::try_from(serial).unwrap_or(i64::MAX)
}

/// A stored serial; a negative one (written by hand) reads as 0.
pub(crate) fn from_sql_serial(serial: i64) -> u64 {
    u64::try_from(serial).unwrap_or(0)
}
