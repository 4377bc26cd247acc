//! Errors a provider reports.

use strata_value::Value;

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
    /// The object a failed apply did make, as far as it got (Terraform's "partial state"): a
    /// job that ran and failed, a cluster half converged. The engine records it (a create's
    /// object as tainted, so the next plan replaces it) and still fails the change with this
    /// error. Only meaningful for an apply; boxed so errors stay small.
    pub new_state: Option<Box<Value>>,
}

impl ProviderError {
    pub fn new(message: impl Into<String>) -> ProviderError {
        ProviderError { message: message.into(), attribute: None, outcome_unknown: false, new_state: None }
    }

    pub fn at(attribute: impl Into<String>, message: impl Into<String>) -> ProviderError {
        ProviderError { attribute: Some(attribute.into()), ..ProviderError::new(message) }
    }

    /// A failure that leaves the outcome unknown (see [`ProviderError::outcome_unknown`]).
    pub fn outcome_unknown(message: impl Into<String>) -> ProviderError {
        ProviderError { outcome_unknown: true, ..ProviderError::new(message) }
    }

    /// This error, carrying the object the failed apply made (see [`ProviderError::new_state`]).
    pub fn with_state(self, state: Value) -> ProviderError {
        ProviderError { new_state: Some(Box::new(state)), ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_stays_small_and_carries_a_state_only_when_given_one() {
        // The state is boxed: every `Result<_, ProviderError>` pays one pointer for it.
        assert!(size_of::<ProviderError>() <= 64, "{}", size_of::<ProviderError>());
        let error = ProviderError::at("count", "too many");
        assert_eq!(error.new_state, None);
        let error = error.with_state(Value::from("made"));
        assert_eq!(error.new_state.as_deref(), Some(&Value::from("made")));
        assert_eq!(error.attribute.as_deref(), Some("count"));
    }
}
