//! Creates in flight.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
use strata_value::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::sealing::{self, Owner};
use crate::{EncodeError, KeyError, KeySource, PathStep, decode_value, encode_value};

/// Recorded durably before a create is sent to a provider and cleared when it completes. If
/// Strata dies in between, the intent survives in the state, so the next run knows an object
/// may exist that no instance records, and can ask the provider to find it by `token` instead
/// of creating a duplicate.
///
/// The serde derives give the stored shape only: the state format and [`crate::Operation`]'s
/// serde encrypt the sensitive parts of `planned` around them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// Idempotency token (a UUID) passed to the provider with the create.
    pub token: String,
    #[serde(with = "crate::serde_addr::one")]
    pub provider: ProviderConfigAddr,
    /// The planned attributes as JSON (unknowns as `null`); plain in memory, stored with the
    /// values at `sensitive_paths` encrypted.
    pub planned: serde_json::Value,
    /// Where `planned` is sensitive. [`Intent::new`] does not know, so it marks the whole value
    /// (the root path); [`Intent::from_value`] records the value's own marks.
    #[serde(default)]
    pub sensitive_paths: Vec<Vec<PathStep>>,
    /// When the create started, RFC 3339.
    pub started_at: String,
}

impl Intent {
    /// An intent with a fresh token, started now. Nothing says which parts of `planned` are
    /// sensitive, so all of it is treated as sensitive (stored encrypted).
    pub fn new(provider: ProviderConfigAddr, planned: serde_json::Value) -> Intent {
        Intent {
            token: uuid::Uuid::new_v4().to_string(),
            provider,
            planned,
            sensitive_paths: vec![Vec::new()],
            started_at: now_rfc3339(),
        }
    }

    /// An intent for a planned value (unknowns already replaced by null), whose sensitive marks
    /// become `sensitive_paths`: only those parts are encrypted at rest.
    pub fn from_value(provider: ProviderConfigAddr, planned: &Value) -> Result<Intent, EncodeError> {
        let (json, sensitive_paths) = encode_value(planned)?;
        Ok(Intent { sensitive_paths, ..Intent::new(provider, json) })
    }

    /// The planned value with its sensitive marks back in place.
    pub fn planned_value(&self) -> Value {
        decode_value(&self.planned, &self.sensitive_paths)
    }

    /// The intent as stored: sensitive parts of `planned` encrypted.
    pub(crate) fn sealed(&self, address: &ResourceInstanceAddr, keys: &KeySource) -> Result<Cow<'_, Intent>, KeyError> {
        match sealing::seal(&self.planned, &self.sensitive_paths, Owner::Intent(address), keys)? {
            Cow::Borrowed(_) => Ok(Cow::Borrowed(self)),
            Cow::Owned(planned) => Ok(Cow::Owned(Intent {
                token: self.token.clone(),
                provider: self.provider.clone(),
                planned,
                sensitive_paths: self.sensitive_paths.clone(),
                started_at: self.started_at.clone(),
            })),
        }
    }

    /// Decrypts a stored intent in place.
    pub(crate) fn open(&mut self, address: &ResourceInstanceAddr, keys: &KeySource) -> Result<(), KeyError> {
        sealing::open(&mut self.planned, &self.sensitive_paths, Owner::Intent(address), keys)
    }

    /// An intent read from a format that had no `sensitive_paths` (version 1): its planned value
    /// may hold secrets in clear, so all of it is treated as sensitive from now on.
    pub(crate) fn upgrade_from_v1(&mut self) {
        if self.sensitive_paths.is_empty() {
            self.sensitive_paths = vec![Vec::new()];
        }
    }
}

/// The current time in RFC 3339, UTC.
pub(crate) fn now_rfc3339() -> String {
    // Formatting a UTC time as RFC 3339 only fails for years outside 0..=9999.
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}
