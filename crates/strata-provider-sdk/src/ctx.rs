//! [`Ctx`]: what a typed resource gets with every call besides its values.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use strata_provider::{Progress, ProgressSink};

use crate::log;

/// The context of one request: the resource type, the idempotency token of a create, where
/// progress goes, a logger, and the provider's configuration once `configure` ran.
#[derive(Clone, Default)]
pub struct Ctx {
    type_name: String,
    idempotency_token: String,
    progress: ProgressSink,
    log: Logger,
    config: Option<Arc<dyn Any + Send + Sync>>,
}

impl Ctx {
    /// A context for calls on `type_name` with no token, progress going nowhere and no
    /// provider configuration; the `with_*` methods add them (tests call resources this way).
    pub fn new(type_name: &str) -> Ctx {
        Ctx { type_name: type_name.to_owned(), log: Logger::new(type_name), ..Ctx::default() }
    }

    pub fn with_idempotency_token(mut self, token: impl Into<String>) -> Ctx {
        self.idempotency_token = token.into();
        self
    }

    pub fn with_progress(mut self, progress: ProgressSink) -> Ctx {
        self.progress = progress;
        self
    }

    pub fn with_provider_config(mut self, config: Arc<dyn Any + Send + Sync>) -> Ctx {
        self.config = Some(config);
        self
    }

    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The token of the intent the engine recorded before this create (empty outside
    /// create, `find_by_token` and update): tag what you create with it, so a retried or
    /// interrupted create never makes a second object.
    pub fn idempotency_token(&self) -> &str {
        &self.idempotency_token
    }

    /// Reports progress of a long apply: the engine shows `test_thing.a: hosts installed (2/3)`.
    pub fn progress(&self, done: u64, total: u64, message: impl Into<String>) {
        self.progress.report(Progress::steps(message, done, total));
    }

    /// Reports progress that cannot be counted.
    pub fn status(&self, message: impl Into<String>) {
        self.progress.report(Progress::message(message));
    }

    /// The plugin's log (stderr), each line prefixed with the resource type.
    pub fn log(&self) -> &Logger {
        &self.log
    }

    /// The provider's configuration, as the builder's `config::<C>()` declared it; `None`
    /// before `configure`, or when `C` is not that type.
    pub fn provider_config<C: Any>(&self) -> Option<&C> {
        self.config.as_deref().and_then(|config| config.downcast_ref())
    }
}

impl fmt::Debug for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx")
            .field("type_name", &self.type_name)
            .field("idempotency_token", &self.idempotency_token)
            .field("configured", &self.config.is_some())
            .finish_non_exhaustive()
    }
}

/// Log lines on stderr, `LEVEL prefix: message`. Never log a sensitive value.
#[derive(Clone, Debug, Default)]
pub struct Logger {
    prefix: String,
}

impl Logger {
    pub fn new(prefix: &str) -> Logger {
        Logger { prefix: prefix.to_owned() }
    }

    fn line(&self, message: &str) -> String {
        if self.prefix.is_empty() { message.to_owned() } else { format!("{}: {message}", self.prefix) }
    }

    pub fn info(&self, message: &str) {
        log::info(&self.line(message));
    }

    pub fn warn(&self, message: &str) {
        log::warn(&self.line(message));
    }

    pub fn error(&self, message: &str) {
        log::write("ERROR", &self.line(message));
    }

    /// Shown only with `STRATA_LOG` set.
    pub fn debug(&self, message: &str) {
        log::debug(&self.line(message));
    }
}
