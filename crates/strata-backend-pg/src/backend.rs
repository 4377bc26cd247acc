//! [`PgBackend`]: opening a state stored in PostgreSQL, recording and compacting.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use strata_state::{Operation, State, StateBackend, StateError, StateWarning, state_from_bytes, state_to_bytes};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_postgres::IsolationLevel;

use crate::db::{self, from_sql_serial, state_error, to_sql_serial};
use crate::location::Location;
use crate::writer::{Request, Writer, insert_statement};

/// A state kept in PostgreSQL: the row `NAME` of `SCHEMA.states` plus its rows in
/// `SCHEMA.journal` (see the crate documentation for the layout).
///
/// Used like [`strata_state::StateStore`]: every change is an [`Operation`] passed to
/// [`PgBackend::record`], which returns its serial once the operation is committed; the caller
/// keeps its own [`State`] and applies the same operation with [`State::apply`].
/// [`PgBackend::compact`] folds the journal into the snapshot; call it at the end of a run.
///
/// Hold a [`crate::PgLock`] on the same schema and name while a backend is open: the backend
/// assumes it is the only writer (a second writer fails on a duplicate serial, it does not
/// interleave).
pub struct PgBackend {
    location: Location,
    requests: mpsc::UnboundedSender<Request>,
    writer: JoinHandle<()>,
    batches: Arc<AtomicU64>,
}

impl PgBackend {
    /// Connects, creates the schema and tables when absent, and loads the state `name`: its
    /// snapshot plus the journal rows above the snapshot's serial, replayed in order. A state
    /// that does not exist yet is created empty (new lineage, stored at once). There are no
    /// load-time repairs in a database, so the warnings are always empty; they are returned for
    /// the same shape as [`strata_state::StateStore::open`].
    pub async fn open(
        conn_str: &str,
        schema: &str,
        name: &str,
    ) -> Result<(PgBackend, State, Vec<StateWarning>), StateError> {
        let location = Location::new(schema, name);
        let connection = db::connect(conn_str).await.map_err(|e| state_error("connect for", &location, &e))?;
        let mut client = connection.client;
        db::ensure_schema(&mut client, &location).await.map_err(|e| e.into_state_error(&location))?;
        create_if_absent(&client, &location).await?;
        let state = load(&mut client, &location).await?;
        let insert = client
            .prepare(&insert_statement(&location))
            .await
            .map_err(|e| state_error("prepare the journal insert for", &location, &e))?;

        let batches = Arc::new(AtomicU64::new(0));
        let writer = Writer {
            client,
            location: location.clone(),
            insert,
            state: state.clone(),
            failure: None,
            batches: batches.clone(),
        };
        let (requests, receiver) = mpsc::unbounded_channel();
        let writer = tokio::spawn(writer.run(receiver));
        // The connection's driver task ends by itself once the writer (the only client) is gone.
        drop(connection.driver);
        Ok((PgBackend { location, requests, writer, batches }, state, Vec::new()))
    }

    /// Inserts `operation` into the journal and returns the serial it produced once the insert
    /// has committed (so it is durable). An error means the operation is not known to be
    /// durable. Dropping the future does not withdraw the operation: it may still be inserted.
    pub async fn record(&self, operation: Operation) -> Result<u64, StateError> {
        self.request(|reply| Request::Record { operation, reply }).await
    }

    /// Stores the durable state as the new snapshot and deletes the journal rows it covers, in
    /// one transaction; returns the snapshot's serial. Records queued before the call are
    /// included.
    pub async fn compact(&self) -> Result<u64, StateError> {
        self.request(|reply| Request::Compact { reply }).await
    }

    /// Finishes what is queued and closes the connection.
    pub async fn close(self) {
        let PgBackend { requests, writer, .. } = self;
        drop(requests);
        let _ = writer.await;
    }

    /// How many insert batches (commits) the journal writer has made so far.
    pub fn journal_batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    /// The schema this backend's tables are in.
    pub fn schema(&self) -> &str {
        &self.location.schema
    }

    /// The state's name within the schema.
    pub fn name(&self) -> &str {
        &self.location.name
    }

    async fn request(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<u64, StateError>>) -> Request,
    ) -> Result<u64, StateError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StateError::JournalFailed {
            path: self.location.path(),
            reason: "the journal writer task stopped".to_owned(),
        };
        self.requests.send(make(reply)).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

#[async_trait]
impl StateBackend for PgBackend {
    async fn record(&self, operation: Operation) -> Result<u64, StateError> {
        PgBackend::record(self, operation).await
    }

    async fn compact(&self) -> Result<u64, StateError> {
        PgBackend::compact(self).await
    }
}

/// Stores an empty state under the name unless one is there: the lineage is fixed in the
/// database before any journal row refers to it. Concurrent openers agree on the first one.
async fn create_if_absent(client: &tokio_postgres::Client, location: &Location) -> Result<(), StateError> {
    let state = State::new();
    let bytes = state_to_bytes(&state).map_err(|source| StateError::Serialize { path: location.path(), source })?;
    client
        .execute(
            &format!(
                "INSERT INTO {} (name, lineage, serial, snapshot) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
                location.states
            ),
            &[&location.name, &state.lineage, &to_sql_serial(state.serial), &bytes],
        )
        .await
        .map_err(|e| state_error("create the state", location, &e))?;
    Ok(())
}

/// The snapshot plus the journal above it, read in one repeatable-read transaction so a
/// concurrent compaction is seen either entirely or not at all.
async fn load(client: &mut tokio_postgres::Client, location: &Location) -> Result<State, StateError> {
    let error = |e: tokio_postgres::Error| state_error("read", location, &e);
    let transaction = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(error)?;
    let row = transaction
        .query_one(&format!("SELECT lineage, snapshot FROM {} WHERE name = $1", location.states), &[&location.name])
        .await
        .map_err(error)?;
    let lineage: String = row.get(0);
    let snapshot: Vec<u8> = row.get(1);
    let mut state = state_from_bytes(&snapshot, &location.path())?;
    if state.lineage != lineage {
        let message = format!(
            "the lineage column says {lineage} but the snapshot has lineage {}: the row was edited by hand",
            state.lineage
        );
        return Err(StateError::Io { action: "read", path: location.path(), source: io::Error::other(message) });
    }
    let rows = transaction
        .query(
            &format!(
                "SELECT serial, operation::text FROM {} WHERE name = $1 AND serial > $2 ORDER BY serial",
                location.journal
            ),
            &[&location.name, &to_sql_serial(state.serial)],
        )
        .await
        .map_err(error)?;
    transaction.commit().await.map_err(error)?;
    for (index, row) in rows.iter().enumerate() {
        let serial = from_sql_serial(row.get(0));
        let text: &str = row.get(1);
        if serial != state.serial + 1 {
            return Err(StateError::JournalGap {
                path: location.path(),
                line: index + 1,
                expected: state.serial + 1,
                found: serial,
            });
        }
        let operation: Operation = serde_json::from_str(text).map_err(|e| StateError::CorruptJournal {
            path: location.path(),
            line: index + 1,
            message: format!("serial {serial}: {e}"),
        })?;
        state.apply(serial, operation);
    }
    Ok(state)
}
