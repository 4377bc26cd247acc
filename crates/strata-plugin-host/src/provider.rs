//! [`PluginProvider`]: a running plugin behind the [`Provider`] trait.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use strata_plugin_protocol::{Call, PROTOCOL_VERSION, Reply, WireValue};
use strata_provider::{
    ApplyRequest, ApplyResponse, FindRequest, PlanRequest, PlanResponse, ProgressSink, Provider, ProviderError,
    ReadRequest, UpgradeRequest,
};
use strata_schema::ProviderSchema;
use strata_value::Value;

use crate::PluginError;
use crate::connection::Connection;
use crate::stderr::{StderrTail, pump};

/// Receives each line a plugin writes to stderr, with the provider's name.
pub type LogSink = Arc<dyn Fn(&str, &str) + Send + Sync>;

/// How long a plugin may take to answer the handshake and the schema request.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);

/// A provider plugin process, started and past its handshake.
pub struct PluginProvider {
    name: String,
    version: String,
    schema: ProviderSchema,
    concurrency_limit: Option<usize>,
    connection: Connection,
}

impl PluginProvider {
    /// Starts the plugin at `path` as provider `name`: handshake, then its schema.
    ///
    /// # Errors
    /// The executable cannot be started, speaks another protocol version, does not answer
    /// within 20 s, or sends an invalid schema.
    pub async fn start(name: &str, path: &Path, log: LogSink) -> Result<PluginProvider, PluginError> {
        let mut child = tokio::process::Command::new(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| PluginError::Spawn { name: name.to_owned(), path: path.to_path_buf(), source })?;
        let tail = StderrTail::default();
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(pump(name.to_owned(), stderr, tail.clone(), log));
        }
        let connection = Connection::new(name, child, tail);
        let handshake = Call::Handshake {
            protocol_versions: vec![PROTOCOL_VERSION],
            engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let handshake_error = |message: String| PluginError::Handshake { name: name.to_owned(), message };
        let version = match startup(&connection, handshake).await.map_err(handshake_error)? {
            Reply::Handshake { protocol_version, provider_version, .. } if protocol_version == PROTOCOL_VERSION => {
                provider_version
            }
            Reply::Handshake { protocol_version, .. } => {
                return Err(PluginError::VersionMismatch {
                    name: name.to_owned(),
                    plugin: protocol_version,
                    engine: PROTOCOL_VERSION,
                });
            }
            _ => unreachable!("the connection checks the reply's method"),
        };
        let schema_error = |message: String| PluginError::Schema { name: name.to_owned(), message };
        let Reply::GetSchema { schema } = startup(&connection, Call::GetSchema {}).await.map_err(schema_error)? else {
            unreachable!("the connection checks the reply's method")
        };
        let concurrency_limit = schema.concurrency_limit;
        let schema = schema.to_schema().map_err(schema_error)?;
        Ok(PluginProvider { name: name.to_owned(), version, schema, concurrency_limit, connection })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The version the plugin reported in the handshake.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The last lines the plugin wrote to stderr.
    pub fn stderr_tail(&self) -> Vec<String> {
        self.connection.stderr_tail()
    }

    /// Asks the plugin to finish and exit (bounded: 5 s; it is killed when dropped anyway).
    pub async fn stop(&self) {
        let _ =
            tokio::time::timeout(Duration::from_secs(5), self.connection.call(Call::Stop {}, ProgressSink::default()))
                .await;
    }

    async fn call(&self, call: Call) -> Result<Reply, ProviderError> {
        self.connection.call(call, ProgressSink::default()).await
    }
}

async fn startup(connection: &Connection, call: Call) -> Result<Reply, String> {
    let method = call.method();
    match tokio::time::timeout(STARTUP_TIMEOUT, connection.call(call, ProgressSink::default())).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(error)) => Err(error.message),
        Err(_) => Err(format!("no answer to {method} within {}s", STARTUP_TIMEOUT.as_secs())),
    }
}

fn unexpected(reply: &Reply) -> ProviderError {
    ProviderError::outcome_unknown(format!("unexpected {} reply", reply.method()))
}

#[async_trait]
impl Provider for PluginProvider {
    fn schema(&self) -> ProviderSchema {
        self.schema.clone()
    }

    fn concurrency_limit(&self) -> Option<usize> {
        self.concurrency_limit
    }

    async fn configure(&self, config: Value) -> Result<(), ProviderError> {
        self.call(Call::ValidateProviderConfig { config: WireValue(config.clone()) }).await?;
        self.call(Call::Configure { config: WireValue(config) }).await.map(drop)
    }

    async fn validate_resource(&self, type_name: &str, config: &Value) -> Result<(), ProviderError> {
        let call = Call::ValidateResourceConfig { type_name: type_name.to_owned(), config: WireValue(config.clone()) };
        self.call(call).await.map(drop)
    }

    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        let call = Call::PlanResourceChange {
            type_name: request.type_name,
            prior: request.prior.map(WireValue),
            config: WireValue(request.config),
        };
        match self.call(call).await? {
            Reply::PlanResourceChange { planned, requires_replace } => {
                Ok(PlanResponse { planned: planned.0, requires_replace })
            }
            other => Err(unexpected(&other)),
        }
    }

    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let call = Call::ApplyResourceChange {
            type_name: request.type_name,
            prior: request.prior.map(WireValue),
            planned: request.planned.map(WireValue),
            config: WireValue(request.config),
            idempotency_token: request.idempotency_token,
        };
        match self.connection.call(call, request.progress).await? {
            Reply::ApplyResourceChange { new_state } => Ok(ApplyResponse { new_state: new_state.map(|v| v.0) }),
            other => Err(unexpected(&other)),
        }
    }

    async fn read(&self, request: ReadRequest) -> Result<Option<Value>, ProviderError> {
        let call = Call::ReadResource { type_name: request.type_name, current: WireValue(request.current) };
        match self.call(call).await? {
            Reply::ReadResource { state } => Ok(state.map(|v| v.0)),
            other => Err(unexpected(&other)),
        }
    }

    async fn find_by_token(&self, request: FindRequest) -> Result<Option<Value>, ProviderError> {
        let call = Call::FindByToken {
            type_name: request.type_name,
            idempotency_token: request.idempotency_token,
            planned: WireValue(request.planned),
        };
        match self.call(call).await? {
            Reply::FindByToken { state } => Ok(state.map(|v| v.0)),
            other => Err(unexpected(&other)),
        }
    }

    async fn import(&self, type_name: &str, id: &str) -> Result<Option<Value>, ProviderError> {
        match self.call(Call::ImportResource { type_name: type_name.to_owned(), id: id.to_owned() }).await? {
            Reply::ImportResource { state } => Ok(state.map(|v| v.0)),
            other => Err(unexpected(&other)),
        }
    }

    async fn upgrade_state(&self, request: UpgradeRequest) -> Result<Value, ProviderError> {
        let call = Call::UpgradeResourceState {
            type_name: request.type_name,
            schema_version: request.schema_version,
            attributes: WireValue(request.attributes),
        };
        match self.call(call).await? {
            Reply::UpgradeResourceState { attributes } => Ok(attributes.0),
            other => Err(unexpected(&other)),
        }
    }

    async fn read_data(&self, type_name: &str, config: Value) -> Result<Value, ProviderError> {
        match self.call(Call::ReadDataSource { type_name: type_name.to_owned(), config: WireValue(config) }).await? {
            Reply::ReadDataSource { state } => Ok(state.0),
            other => Err(unexpected(&other)),
        }
    }
}
