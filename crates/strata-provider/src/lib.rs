//! The provider interface: what the engine asks of a provider, and what it gets back.
//!
//! Main type: the [`Provider`] trait (async, object-safe through `async_trait`). Providers run
//! in process for now; the request and response types are plain data so that a later plugin
//! protocol can carry them over a pipe unchanged.
//!
//! Values are [`strata_value::Value`]s shaped by the resource's schema: an object with every
//! attribute. In a *planned* value, attributes the provider computes on apply are
//! `Value::Unknown`. Sensitive marks may be present; providers must not print them.

mod error;
mod progress;
mod requests;

pub use error::ProviderError;
pub use progress::{Progress, ProgressSink};
pub use requests::*;

use async_trait::async_trait;
use strata_schema::ProviderSchema;
use strata_value::Value;

/// A provider: one implementation serves all the resource types in its schema.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Resource types, data sources and the provider's own configuration block.
    fn schema(&self) -> ProviderSchema;

    /// How many operations this provider wants in flight at once (`None`: no limit beyond
    /// the engine's `--parallelism`).
    fn concurrency_limit(&self) -> Option<usize> {
        None
    }

    /// Receives the `provider "name" { }` block, evaluated. Called once before other calls.
    async fn configure(&self, config: Value) -> Result<(), ProviderError>;

    /// Checks one resource's configuration beyond what the schema says.
    async fn validate_resource(&self, type_name: &str, config: &Value) -> Result<(), ProviderError> {
        let _ = (type_name, config);
        Ok(())
    }

    /// Prior state + configuration → planned state (unknowns where apply decides) and which
    /// attribute changes force replacement.
    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError>;

    /// Makes the planned state real: create (`prior` is `None`), update, or delete
    /// (`planned` is `None`). Returns the new state (`None` after delete).
    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError>;

    /// Refresh: the object as it is now, `None` when it no longer exists.
    async fn read(&self, request: ReadRequest) -> Result<Option<Value>, ProviderError>;

    /// After a crash during create: finds the object a create with this idempotency token
    /// made, if it exists, so the engine can adopt it (or clean it up).
    async fn find_by_token(&self, request: FindRequest) -> Result<Option<Value>, ProviderError>;

    /// `strata import ADDR ID`: the object with this id.
    async fn import(&self, type_name: &str, id: &str) -> Result<Option<Value>, ProviderError>;

    /// State written by an older schema version → the current shape.
    async fn upgrade_state(&self, request: UpgradeRequest) -> Result<Value, ProviderError> {
        Ok(request.attributes)
    }

    /// Data sources: reads the object the configuration describes.
    async fn read_data(&self, type_name: &str, config: Value) -> Result<Value, ProviderError> {
        let _ = config;
        Err(ProviderError::new(format!("this provider has no data source \"{type_name}\"")))
    }
}
