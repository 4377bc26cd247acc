//! Requests the engine makes ([`Call`]) and the answers a plugin gives ([`Reply`]). On the
//! wire a call is `"method": NAME, "params": {...}` inside a request frame and a reply is
//! `"method": NAME, "result": {...}` inside a response frame; the method names are the
//! snake_case variant names (`plan_resource_change`).

use serde::{Deserialize, Serialize};

use crate::{WireSchema, WireValue};

/// A request from the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", content = "params", rename_all = "snake_case")]
pub enum Call {
    /// Always the first request: the versions the engine speaks, newest first.
    Handshake {
        protocol_versions: Vec<u32>,
        engine_version: String,
    },
    GetSchema {},
    /// The `provider` block, evaluated, before `configure`.
    ValidateProviderConfig {
        config: WireValue,
    },
    Configure {
        config: WireValue,
    },
    ValidateResourceConfig {
        type_name: String,
        config: WireValue,
    },
    /// Prior state (`null` when creating) + configuration → planned state.
    PlanResourceChange {
        type_name: String,
        prior: Option<WireValue>,
        config: WireValue,
    },
    /// `planned: null` deletes. `idempotency_token` is the engine's intent token for a create.
    ApplyResourceChange {
        type_name: String,
        prior: Option<WireValue>,
        planned: Option<WireValue>,
        config: WireValue,
        idempotency_token: String,
    },
    ReadResource {
        type_name: String,
        current: WireValue,
    },
    ReadDataSource {
        type_name: String,
        config: WireValue,
    },
    ImportResource {
        type_name: String,
        id: String,
    },
    /// After a crash during create: the object that create (with this token) made, if any.
    FindByToken {
        type_name: String,
        idempotency_token: String,
        planned: WireValue,
    },
    UpgradeResourceState {
        type_name: String,
        schema_version: u64,
        attributes: WireValue,
    },
    /// The engine is done: finish what is running, answer, then exit.
    Stop {},
}

/// A plugin's answer to a [`Call`] of the same method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", content = "result", rename_all = "snake_case")]
pub enum Reply {
    Handshake { protocol_version: u32, provider_name: String, provider_version: String },
    GetSchema { schema: WireSchema },
    ValidateProviderConfig {},
    Configure {},
    ValidateResourceConfig {},
    PlanResourceChange { planned: WireValue, requires_replace: Vec<String> },
    ApplyResourceChange { new_state: Option<WireValue> },
    ReadResource { state: Option<WireValue> },
    ReadDataSource { state: WireValue },
    ImportResource { state: Option<WireValue> },
    FindByToken { state: Option<WireValue> },
    UpgradeResourceState { attributes: WireValue },
    Stop {},
}

impl Call {
    /// The method name as written on the wire.
    pub fn method(&self) -> &'static str {
        match self {
            Call::Handshake { .. } => "handshake",
            Call::GetSchema {} => "get_schema",
            Call::ValidateProviderConfig { .. } => "validate_provider_config",
            Call::Configure { .. } => "configure",
            Call::ValidateResourceConfig { .. } => "validate_resource_config",
            Call::PlanResourceChange { .. } => "plan_resource_change",
            Call::ApplyResourceChange { .. } => "apply_resource_change",
            Call::ReadResource { .. } => "read_resource",
            Call::ReadDataSource { .. } => "read_data_source",
            Call::ImportResource { .. } => "import_resource",
            Call::FindByToken { .. } => "find_by_token",
            Call::UpgradeResourceState { .. } => "upgrade_resource_state",
            Call::Stop {} => "stop",
        }
    }
}

impl Reply {
    /// The method name as written on the wire.
    pub fn method(&self) -> &'static str {
        match self {
            Reply::Handshake { .. } => "handshake",
            Reply::GetSchema { .. } => "get_schema",
            Reply::ValidateProviderConfig {} => "validate_provider_config",
            Reply::Configure {} => "configure",
            Reply::ValidateResourceConfig {} => "validate_resource_config",
            Reply::PlanResourceChange { .. } => "plan_resource_change",
            Reply::ApplyResourceChange { .. } => "apply_resource_change",
            Reply::ReadResource { .. } => "read_resource",
            Reply::ReadDataSource { .. } => "read_data_source",
            Reply::ImportResource { .. } => "import_resource",
            Reply::FindByToken { .. } => "find_by_token",
            Reply::UpgradeResourceState { .. } => "upgrade_resource_state",
            Reply::Stop {} => "stop",
        }
    }
}
