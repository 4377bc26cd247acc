//! The interface every state backend offers the engine.

use async_trait::async_trait;

use crate::{Operation, StateError};

/// Where state is persisted: the local files ([`crate::StateStore`]) or a database.
///
/// The contract the engine relies on: `record` returns `Ok` only once the operation is durable,
/// so a completed create is stored before its dependents start; `compact` folds everything
/// recorded into one snapshot at the end of a run.
#[async_trait]
pub trait StateBackend: Send + Sync {
    async fn record(&self, operation: Operation) -> Result<u64, StateError>;
    async fn compact(&self) -> Result<u64, StateError>;
}

#[async_trait]
impl StateBackend for crate::StateStore {
    async fn record(&self, operation: Operation) -> Result<u64, StateError> {
        crate::StateStore::record(self, operation).await
    }

    async fn compact(&self) -> Result<u64, StateError> {
        crate::StateStore::compact(self).await
    }
}
