//! What the state remembers about one resource instance.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use strata_addrs::{AbsResourceAddr, ProviderConfigAddr, ResourceInstanceAddr};
use strata_value::Value;

use crate::sealing::{self, Owner};
use crate::{EncodeError, KeyError, KeySource, PathStep, decode_value, encode_value};

/// One resource instance as its provider last reported it.
///
/// The serde derives give the stored shape only: the state format and [`crate::Operation`]'s
/// serde encrypt the sensitive values around them. Do not serialize an instance directly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstanceState {
    /// The provider configuration that manages the instance; needed to destroy it even after
    /// its block is gone from the configuration.
    #[serde(with = "crate::serde_addr::one")]
    pub provider: ProviderConfigAddr,
    /// The version of the resource type's schema that `attributes` follow, so a provider can
    /// upgrade them.
    #[serde(default)]
    pub schema_version: u64,
    /// The attributes as a JSON object. Never contains unknowns. In memory the values at
    /// `sensitive_paths` are plain; the state format and the journal store them encrypted
    /// (`{"$encrypted": "..."}`, see `sealing.rs`), so they are never on disk in clear text.
    pub attributes: serde_json::Value,
    /// Where the attributes held sensitive marks; [`InstanceState::attributes_value`] re-applies
    /// them so the values are never shown.
    #[serde(default)]
    pub sensitive_paths: Vec<Vec<PathStep>>,
    /// Direct dependencies only: the transitive closure is the graph's job, and storing it would
    /// make every change ripple through unrelated entries.
    #[serde(default, with = "crate::serde_addr::list")]
    pub dependencies: Vec<AbsResourceAddr>,
    #[serde(default)]
    pub status: InstanceStatus,
    #[serde(default)]
    pub create_before_destroy: bool,
}

/// Whether an instance can be kept. `Tainted` means a create or update failed part way and the
/// next plan replaces it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    #[default]
    Ready,
    Tainted,
}

impl InstanceState {
    /// A ready instance whose attributes come from `value` (marks become `sensitive_paths`).
    pub fn from_value(
        provider: ProviderConfigAddr,
        schema_version: u64,
        value: &Value,
        dependencies: Vec<AbsResourceAddr>,
    ) -> Result<InstanceState, EncodeError> {
        let (attributes, sensitive_paths) = encode_value(value)?;
        Ok(InstanceState {
            provider,
            schema_version,
            attributes,
            sensitive_paths,
            dependencies,
            status: InstanceStatus::Ready,
            create_before_destroy: false,
        })
    }

    /// The attributes as a value, with their sensitive marks back in place.
    pub fn attributes_value(&self) -> Value {
        decode_value(&self.attributes, &self.sensitive_paths)
    }
}

/// Encryption at rest (crate-internal: the formats call these).
impl InstanceState {
    /// The instance as stored: sensitive values encrypted (borrowed when it has none).
    pub(crate) fn sealed(
        &self,
        address: &ResourceInstanceAddr,
        keys: &KeySource,
    ) -> Result<Cow<'_, InstanceState>, KeyError> {
        match sealing::seal(&self.attributes, &self.sensitive_paths, Owner::Resource(address), keys)? {
            Cow::Borrowed(_) => Ok(Cow::Borrowed(self)),
            Cow::Owned(attributes) => Ok(Cow::Owned(InstanceState {
                provider: self.provider.clone(),
                schema_version: self.schema_version,
                attributes,
                sensitive_paths: self.sensitive_paths.clone(),
                dependencies: self.dependencies.clone(),
                status: self.status,
                create_before_destroy: self.create_before_destroy,
            })),
        }
    }

    /// Decrypts a stored instance in place.
    pub(crate) fn open(&mut self, address: &ResourceInstanceAddr, keys: &KeySource) -> Result<(), KeyError> {
        sealing::open(&mut self.attributes, &self.sensitive_paths, Owner::Resource(address), keys)
    }
}
