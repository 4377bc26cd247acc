//! Requests and responses of the provider interface.

use strata_value::Value;

use crate::ProgressSink;

#[derive(Clone, Debug, PartialEq)]
pub struct PlanRequest {
    pub type_name: String,
    /// The current state; `None` when the object does not exist yet.
    pub prior: Option<Value>,
    /// The evaluated configuration (unknowns where it depends on other resources).
    pub config: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanResponse {
    /// The state apply should produce, with `Value::Unknown` where only apply can tell.
    pub planned: Value,
    /// Top-level attributes whose change forces replacement.
    pub requires_replace: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApplyRequest {
    pub type_name: String,
    pub prior: Option<Value>,
    /// `None` deletes the object.
    pub planned: Option<Value>,
    pub config: Value,
    /// Recorded by the engine before a create starts; the same token is passed again if the
    /// create is retried, so the provider can avoid making the object twice.
    pub idempotency_token: String,
    /// Where the provider reports progress while the change is made.
    pub progress: ProgressSink,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApplyResponse {
    /// The object's state after apply; `None` after a delete.
    pub new_state: Option<Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReadRequest {
    pub type_name: String,
    pub current: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FindRequest {
    pub type_name: String,
    pub idempotency_token: String,
    /// What the interrupted create planned (it may name the object, e.g. a file path).
    pub planned: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UpgradeRequest {
    pub type_name: String,
    pub schema_version: u64,
    pub attributes: Value,
}
