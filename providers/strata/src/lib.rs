//! The built-in `strata` provider: [`StrataProvider`] serves `strata_data` (a value kept in
//! state, like Terraform's `terraform_data`) and `strata_file` (a file on local disk, written
//! atomically).
//!
//! Each resource type lives in its own module with free functions for plan, apply, read,
//! find-by-token and import; [`StrataProvider`] only dispatches on the type name.

mod data;
mod file;
mod object;
mod schema;

use async_trait::async_trait;
use strata_provider::{
    ApplyRequest, ApplyResponse, FindRequest, PlanRequest, PlanResponse, Provider, ProviderError, ReadRequest,
};
use strata_schema::ProviderSchema;
use strata_value::Value;

pub use schema::{DEFAULT_MODE, schema};

/// Type name of the in-state value resource.
pub const DATA: &str = "strata_data";
/// Type name of the local file resource.
pub const FILE: &str = "strata_file";

/// The `strata` provider. It has no configuration and keeps no state of its own.
#[derive(Clone, Copy, Debug, Default)]
pub struct StrataProvider;

impl StrataProvider {
    pub fn new() -> StrataProvider {
        StrataProvider
    }
}

fn unknown_type(type_name: &str) -> ProviderError {
    ProviderError::new(format!("the strata provider has no resource type \"{type_name}\""))
}

#[async_trait]
impl Provider for StrataProvider {
    fn schema(&self) -> ProviderSchema {
        schema::schema()
    }

    async fn configure(&self, _config: Value) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn validate_resource(&self, type_name: &str, config: &Value) -> Result<(), ProviderError> {
        match type_name {
            DATA => Ok(()),
            FILE => file::validate(config),
            other => Err(unknown_type(other)),
        }
    }

    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        match request.type_name.as_str() {
            DATA => Ok(data::plan(request.prior.as_ref(), request.config)),
            FILE => Ok(file::plan(request.prior.as_ref(), request.config)),
            other => Err(unknown_type(other)),
        }
    }

    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let new_state = match request.type_name.as_str() {
            DATA => data::apply(request)?,
            FILE => file::apply(request).await?,
            other => return Err(unknown_type(other)),
        };
        Ok(ApplyResponse { new_state })
    }

    async fn read(&self, request: ReadRequest) -> Result<Option<Value>, ProviderError> {
        match request.type_name.as_str() {
            // The object exists only in state, so state is the truth.
            DATA => Ok(Some(request.current)),
            FILE => file::read(request.current).await,
            other => Err(unknown_type(other)),
        }
    }

    async fn find_by_token(&self, request: FindRequest) -> Result<Option<Value>, ProviderError> {
        match request.type_name.as_str() {
            // Nothing outside state is made, so an interrupted create left nothing to adopt;
            // the retried create reuses the token as id and makes the same object.
            DATA => Ok(None),
            FILE => file::find_by_token(request.planned, request.idempotency_token).await,
            other => Err(unknown_type(other)),
        }
    }

    async fn import(&self, type_name: &str, id: &str) -> Result<Option<Value>, ProviderError> {
        match type_name {
            DATA => Ok(Some(data::import(id))),
            FILE => file::import(id).await,
            other => Err(unknown_type(other)),
        }
    }

    /// `data "strata_file" "x" { path = ... }`: the file's content, read at plan time.
    async fn read_data(&self, type_name: &str, config: Value) -> Result<Value, ProviderError> {
        match type_name {
            FILE => file::read_data(config).await,
            other => Err(ProviderError::new(format!("the strata provider has no data source \"{other}\""))),
        }
    }
}
