//! Creates in flight.

use serde::{Deserialize, Serialize};
use strata_addrs::ProviderConfigAddr;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Recorded durably before a create is sent to a provider and cleared when it completes. If
/// Strata dies in between, the intent survives in the state, so the next run knows an object
/// may exist that no instance records, and can ask the provider to find it by `token` instead
/// of creating a duplicate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// Idempotency token (a UUID) passed to the provider with the create.
    pub token: String,
    #[serde(with = "crate::serde_addr::one")]
    pub provider: ProviderConfigAddr,
    /// The planned attributes as JSON (unknowns as `null`).
    pub planned: serde_json::Value,
    /// When the create started, RFC 3339.
    pub started_at: String,
}

impl Intent {
    /// An intent with a fresh token, started now.
    pub fn new(provider: ProviderConfigAddr, planned: serde_json::Value) -> Intent {
        Intent { token: uuid::Uuid::new_v4().to_string(), provider, planned, started_at: now_rfc3339() }
    }
}

/// The current time in RFC 3339, UTC.
pub(crate) fn now_rfc3339() -> String {
    // Formatting a UTC time as RFC 3339 only fails for years outside 0..=9999.
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}
