//! The journal writer: one task that inserts records in batches (group commit).
//!
//! Callers queue requests on a channel. The writer takes whatever is queued (up to
//! [`MAX_BATCH`]), inserts all of it with one statement (its own transaction, so one commit and
//! one WAL flush), and only then answers each caller with its serial. While one batch commits,
//! the next one queues.
//!
//! The writer keeps its own copy of the durable state (snapshot plus every committed record),
//! so a compaction stores exactly what the journal holds, whatever order callers applied their
//! results in.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use strata_state::{Operation, State, StateError, state_to_bytes};
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Statement};

use crate::db::{describe, state_error, to_sql_serial};
use crate::location::Location;

/// Bounds one batch, so one caller's latency stays bounded under a flood.
pub(crate) const MAX_BATCH: usize = 4096;

type Reply = oneshot::Sender<Result<u64, StateError>>;

#[expect(
    clippy::large_enum_variant,
    reason = "almost every request is a Record: boxing it would cost an allocation per record to shrink a rare one"
)]
pub(crate) enum Request {
    Record { operation: Operation, reply: Reply },
    Compact { reply: Reply },
}

/// Inserts a batch: `$1` the state name, `$2` the serials, `$3` the operations as JSON text
/// (cast to `json` by the server, which checks it and stores the text as it is).
pub(crate) fn insert_statement(location: &Location) -> String {
    format!(
        "INSERT INTO {} (name, serial, operation) \
         SELECT $1, t.serial, t.operation::json FROM unnest($2::bigint[], $3::text[]) AS t(serial, operation)",
        location.journal
    )
}

pub(crate) struct Writer {
    pub(crate) client: Client,
    pub(crate) location: Location,
    /// [`insert_statement`], prepared once.
    pub(crate) insert: Statement,
    /// The durable state: the snapshot plus every record committed since.
    pub(crate) state: State,
    /// Set when an insert failed. Its outcome may be unknown (a connection lost during the
    /// commit), and another writer may be at work, so nothing more is inserted.
    pub(crate) failure: Option<String>,
    /// Number of committed batches, for tests.
    pub(crate) batches: Arc<AtomicU64>,
}

impl Writer {
    /// Serves requests until every sender is gone.
    pub(crate) async fn run(mut self, mut requests: mpsc::UnboundedReceiver<Request>) {
        while let Some(first) = requests.recv().await {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match requests.try_recv() {
                    Ok(request) => batch.push(request),
                    Err(_) => break,
                }
            }
            self.handle(batch).await;
        }
    }

    async fn handle(&mut self, batch: Vec<Request>) {
        let mut records = Vec::new();
        for request in batch {
            match request {
                Request::Record { operation, reply } => records.push((operation, reply)),
                Request::Compact { reply } => {
                    // Records queued before the compaction belong in the snapshot it writes.
                    self.append(std::mem::take(&mut records)).await;
                    // A caller that stopped waiting does not need the answer.
                    let _ = reply.send(self.compact().await);
                }
            }
        }
        self.append(records).await;
    }

    fn failed(&self, reason: &str) -> StateError {
        StateError::JournalFailed { path: self.location.path(), reason: reason.to_owned() }
    }

    async fn append(&mut self, records: Vec<(Operation, Reply)>) {
        if records.is_empty() {
            return;
        }
        if let Some(reason) = &self.failure {
            for (_, reply) in records {
                let _ = reply.send(Err(self.failed(reason)));
            }
            return;
        }
        let mut serials = Vec::with_capacity(records.len());
        let mut texts = Vec::with_capacity(records.len());
        let mut accepted = Vec::with_capacity(records.len());
        let mut serial = self.state.serial;
        for (operation, reply) in records {
            match serde_json::to_string(&operation) {
                Ok(text) => {
                    serial += 1;
                    serials.push(to_sql_serial(serial));
                    texts.push(text);
                    accepted.push((serial, operation, reply));
                }
                Err(source) => {
                    let _ = reply.send(Err(StateError::Serialize { path: self.location.path(), source }));
                }
            }
        }
        if accepted.is_empty() {
            return;
        }
        match self.client.execute(&self.insert, &[&self.location.name, &serials, &texts]).await {
            Ok(_) => {
                self.batches.fetch_add(1, Ordering::Relaxed);
                for (serial, operation, reply) in accepted {
                    self.state.apply(serial, operation);
                    let _ = reply.send(Ok(serial));
                }
            }
            Err(error) => {
                let reason = if error.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                    format!(
                        "another writer has recorded serial {} or later for this state since it was opened; \
                         hold the state lock while a backend is open",
                        self.state.serial + 1
                    )
                } else {
                    format!("could not insert into {}: {}", self.location.journal, describe(&error))
                };
                for (_, _, reply) in accepted {
                    let _ = reply.send(Err(self.failed(&reason)));
                }
                self.failure = Some(reason);
            }
        }
    }

    /// The snapshot replaces the old one and the journal rows it covers go, in one transaction:
    /// readers see either the old snapshot with the whole journal or the new one.
    async fn compact(&mut self) -> Result<u64, StateError> {
        if let Some(reason) = &self.failure {
            return Err(self.failed(reason));
        }
        let location = &self.location;
        let bytes =
            state_to_bytes(&self.state).map_err(|source| StateError::Serialize { path: location.path(), source })?;
        let serial = to_sql_serial(self.state.serial);
        let error = |error: tokio_postgres::Error| state_error("compact", location, &error);
        let transaction = self.client.transaction().await.map_err(error)?;
        let updated = transaction
            .execute(
                &format!("UPDATE {} SET serial = $2, snapshot = $3 WHERE name = $1 AND lineage = $4", location.states),
                &[&location.name, &serial, &bytes, &self.state.lineage],
            )
            .await
            .map_err(error)?;
        if updated != 1 {
            let message = format!(
                "its row in {} with lineage {} is gone: the state was deleted or replaced while it was open",
                location.states, self.state.lineage
            );
            return Err(StateError::Io { action: "compact", path: location.path(), source: io::Error::other(message) });
        }
        transaction
            .execute(
                &format!("DELETE FROM {} WHERE name = $1 AND serial <= $2", location.journal),
                &[&location.name, &serial],
            )
            .await
            .map_err(error)?;
        transaction.commit().await.map_err(error)?;
        Ok(self.state.serial)
    }
}
