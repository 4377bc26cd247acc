//! One request: a protocol [`Call`] to the matching [`Provider`] method and back.

use strata_plugin_protocol::{Call, PROTOCOL_VERSION, Reply, WireError, WireSchema, WireValue};
use strata_provider::{
    ApplyRequest, FindRequest, PlanRequest, ProgressSink, Provider, ProviderError, ReadRequest, UpgradeRequest,
};

fn wire_error(error: ProviderError) -> WireError {
    WireError {
        message: error.message,
        attribute: error.attribute,
        outcome_unknown: error.outcome_unknown,
        new_state: error.new_state.map(|state| WireValue(*state)),
    }
}

fn some(value: Option<strata_value::Value>) -> Option<WireValue> {
    value.map(WireValue)
}

/// Answers `call`. The handshake is answered here too, for a server that is already past it
/// (a second handshake gets the same answer).
pub(crate) async fn dispatch(
    provider: &dyn Provider,
    name: &str,
    version: &str,
    call: Call,
    progress: ProgressSink,
) -> Result<Reply, WireError> {
    let reply = match call {
        Call::Handshake { protocol_versions, .. } => {
            if !protocol_versions.contains(&PROTOCOL_VERSION) {
                return Err(WireError::new(format!(
                    "provider \"{name}\" speaks plugin protocol version {PROTOCOL_VERSION}; the engine offered {protocol_versions:?}"
                )));
            }
            Reply::Handshake {
                protocol_version: PROTOCOL_VERSION,
                provider_name: name.to_owned(),
                provider_version: version.to_owned(),
            }
        }
        Call::GetSchema {} => {
            Reply::GetSchema { schema: WireSchema::new(&provider.schema(), provider.concurrency_limit()) }
        }
        Call::ValidateProviderConfig { .. } => Reply::ValidateProviderConfig {},
        Call::Configure { config } => {
            provider.configure(config.0).await.map_err(wire_error)?;
            Reply::Configure {}
        }
        Call::ValidateResourceConfig { type_name, config } => {
            provider.validate_resource(&type_name, &config.0).await.map_err(wire_error)?;
            Reply::ValidateResourceConfig {}
        }
        Call::PlanResourceChange { type_name, prior, config } => {
            let request = PlanRequest { type_name, prior: prior.map(|v| v.0), config: config.0 };
            let response = provider.plan(request).await.map_err(wire_error)?;
            Reply::PlanResourceChange {
                planned: WireValue(response.planned),
                requires_replace: response.requires_replace,
            }
        }
        Call::ApplyResourceChange { type_name, prior, planned, config, idempotency_token } => {
            let request = ApplyRequest {
                type_name,
                prior: prior.map(|v| v.0),
                planned: planned.map(|v| v.0),
                config: config.0,
                idempotency_token,
                progress,
            };
            let response = provider.apply(request).await.map_err(wire_error)?;
            Reply::ApplyResourceChange { new_state: some(response.new_state) }
        }
        Call::ReadResource { type_name, current } => {
            let state = provider.read(ReadRequest { type_name, current: current.0 }).await.map_err(wire_error)?;
            Reply::ReadResource { state: some(state) }
        }
        Call::ReadDataSource { type_name, config } => {
            let state = provider.read_data(&type_name, config.0).await.map_err(wire_error)?;
            Reply::ReadDataSource { state: WireValue(state) }
        }
        Call::ImportResource { type_name, id } => {
            Reply::ImportResource { state: some(provider.import(&type_name, &id).await.map_err(wire_error)?) }
        }
        Call::FindByToken { type_name, idempotency_token, planned } => {
            let request = FindRequest { type_name, idempotency_token, planned: planned.0 };
            Reply::FindByToken { state: some(provider.find_by_token(request).await.map_err(wire_error)?) }
        }
        Call::UpgradeResourceState { type_name, schema_version, attributes } => {
            let request = UpgradeRequest { type_name, schema_version, attributes: attributes.0 };
            Reply::UpgradeResourceState {
                attributes: WireValue(provider.upgrade_state(request).await.map_err(wire_error)?),
            }
        }
        Call::Stop {} => Reply::Stop {},
    };
    Ok(reply)
}
