//! Errors a provider reports.

/// A provider failure: what went wrong, and the attribute at fault when there is one.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
#[error("{message}")]
pub struct ProviderError {
    pub message: String,
    /// Attribute path (`node_group.core.count`) the error is about.
    pub attribute: Option<String>,
}

impl ProviderError {
    pub fn new(message: impl Into<String>) -> ProviderError {
        ProviderError { message: message.into(), attribute: None }
    }

    pub fn at(attribute: impl Into<String>, message: impl Into<String>) -> ProviderError {
        ProviderError { message: message.into(), attribute: Some(attribute.into()) }
    }
}
