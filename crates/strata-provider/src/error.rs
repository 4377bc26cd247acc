//! Errors a provider reports.

/// A provider failure: what went wrong, and the attribute at fault when there is one.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
#[error("{message}")]
pub struct ProviderError {
    pub message: String,
    /// Attribute path (`node_group.core.count`) the error is about.
    pub attribute: Option<String>,
    /// The request's outcome is unknown: the provider process crashed or hung, the request
    /// timed out or was cancelled, or the connection to it broke. A create that fails this way
    /// may have made its object, so the engine keeps the create's intent record for the next
    /// run to reconcile instead of clearing it.
    pub outcome_unknown: bool,
}

impl ProviderError {
    pub fn new(message: impl Into<String>) -> ProviderError {
        ProviderError { message: message.into(), attribute: None, outcome_unknown: false }
    }

    pub fn at(attribute: impl Into<String>, message: impl Into<String>) -> ProviderError {
        ProviderError { message: message.into(), attribute: Some(attribute.into()), outcome_unknown: false }
    }

    /// A failure that leaves the outcome unknown (see [`ProviderError::outcome_unknown`]).
    pub fn outcome_unknown(message: impl Into<String>) -> ProviderError {
        ProviderError { message: message.into(), attribute: None, outcome_unknown: true }
    }
}
