//! Partial state: a create or update that failed after making something returns the object as
//! far as it got, so the engine records it (a create's object as tainted) instead of losing it.

use strata_provider::ProviderError;

use crate::Model;

/// Attaches a typed object to a [`ProviderError`]:
///
/// ```text
/// job.status = Some("FAILED".into());
/// return Err(ProviderError::new("the job failed").with_model(&job));
/// ```
///
/// Only `create` and `update` errors carry it to the engine; sensitive fields and the marks the
/// engine sent are kept, as on a successful answer.
pub trait WithModel {
    fn with_model<M: Model>(self, model: &M) -> ProviderError;
}

impl WithModel for ProviderError {
    fn with_model<M: Model>(self, model: &M) -> ProviderError {
        self.with_state(model.encode())
    }
}
