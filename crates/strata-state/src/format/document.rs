//! The layout shared by every version so far: what changes between versions is what the values
//! mean (`v1.rs`, `v2.rs`), not where they are.
//!
//! ```json
//! {
//!   "format": "strata-state",
//!   "version": 2,
//!   "serial": 3,
//!   "lineage": "…uuid…",
//!   "resources": [{"address": "emr_cluster.a", "provider": "provider.emr", "schema_version": 0,
//!                  "attributes": {}, "sensitive_paths": [], "dependencies": [],
//!                  "status": "ready", "create_before_destroy": false}],
//!   "outputs": {"name": {"value": "x", "sensitive": false}},
//!   "intents": [{"address": "…", "token": "…", "provider": "…", "planned": {},
//!                "sensitive_paths": [[]], "started_at": "…"}]
//! }
//! ```
//! Unknown fields are ignored, never rejected, so a newer writer's additions do not break us.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use strata_addrs::ResourceInstanceAddr;

use crate::{InstanceState, Intent, OutputState, StateError};

/// A document as read; values as stored (encrypted ones still encrypted).
#[derive(Deserialize)]
pub(super) struct StateFile {
    pub(super) serial: u64,
    pub(super) lineage: String,
    #[serde(default)]
    pub(super) resources: Vec<InstanceEntry>,
    #[serde(default)]
    pub(super) outputs: BTreeMap<String, OutputState>,
    #[serde(default)]
    pub(super) intents: Vec<Entry<Intent>>,
    /// Version 3 only.
    #[serde(default)]
    pub(super) deposed: Vec<InstanceEntry>,
}

/// A resource or intent with its address first.
#[derive(Deserialize)]
pub(super) struct Entry<T> {
    #[serde(with = "crate::serde_addr::one")]
    pub(super) address: ResourceInstanceAddr,
    #[serde(flatten)]
    pub(super) item: T,
}

/// A resource instance with its address first: [`Entry<InstanceState>`] spelled out. With
/// `#[serde(flatten)]` serde buffers every entry as a generic tree and reads it a second time,
/// which was half the time of reading a state of 1,000 instances; the fields here are
/// [`InstanceState`]'s with the same serde attributes, and the struct literal in
/// `From<InstanceEntry>` stops the build when a field is added there and not here.
#[derive(Deserialize)]
pub(super) struct InstanceEntry {
    #[serde(with = "crate::serde_addr::one")]
    address: ResourceInstanceAddr,
    #[serde(with = "crate::serde_addr::repeated")]
    provider: strata_addrs::ProviderConfigAddr,
    #[serde(default)]
    schema_version: u64,
    attributes: serde_json::Value,
    #[serde(default)]
    sensitive_paths: Vec<Vec<crate::PathStep>>,
    #[serde(default, with = "crate::serde_addr::list")]
    dependencies: Vec<strata_addrs::AbsResourceAddr>,
    #[serde(default)]
    status: crate::InstanceStatus,
    #[serde(default)]
    create_before_destroy: bool,
}

impl From<InstanceEntry> for Entry<InstanceState> {
    fn from(entry: InstanceEntry) -> Self {
        let InstanceEntry {
            address,
            provider,
            schema_version,
            attributes,
            sensitive_paths,
            dependencies,
            status,
            create_before_destroy,
        } = entry;
        let item = InstanceState {
            provider,
            schema_version,
            attributes,
            sensitive_paths,
            dependencies,
            status,
            create_before_destroy,
        };
        Entry { address, item }
    }
}

/// The written form borrows from the state where it can: compaction of a large state copies
/// only what it encrypts.
#[derive(Serialize)]
pub(super) struct StateFileOut<'a> {
    pub(super) format: &'static str,
    pub(super) version: u64,
    pub(super) serial: u64,
    pub(super) lineage: &'a str,
    pub(super) resources: Vec<EntryOut<'a, InstanceState>>,
    pub(super) outputs: BTreeMap<&'a str, Cow<'a, OutputState>>,
    pub(super) intents: Vec<EntryOut<'a, Intent>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) deposed: Vec<EntryOut<'a, InstanceState>>,
}

#[derive(Serialize)]
pub(super) struct EntryOut<'a, T: Clone> {
    #[serde(with = "crate::serde_addr::one")]
    pub(super) address: &'a ResourceInstanceAddr,
    #[serde(flatten)]
    pub(super) item: Cow<'a, T>,
}

/// Parses the layout; `path` is for messages.
pub(super) fn parse(bytes: &[u8], path: &Path) -> Result<StateFile, StateError> {
    serde_json::from_slice(bytes).map_err(|source| StateError::Parse { path: path.to_owned(), source })
}

/// Entries keyed by address. A duplicate means the file was edited by hand or corrupted; keeping
/// either copy silently could forget a real object, so it is an error.
pub(super) fn by_address<T, E: Into<Entry<T>>>(
    entries: Vec<E>,
    path: &Path,
    what: &str,
) -> Result<BTreeMap<ResourceInstanceAddr, T>, StateError> {
    let entries: Vec<(ResourceInstanceAddr, T)> =
        entries.into_iter().map(|e| e.into()).map(|Entry { address, item }| (address, item)).collect();
    let twice = |address: &ResourceInstanceAddr| StateError::Parse {
        path: path.to_owned(),
        source: serde::de::Error::custom(format!("the {what} {address} appears twice")),
    };
    // Written in address order, so normally sorted already: then the map is built in one
    // pass (one comparison per entry instead of a search per insert).
    if entries.windows(2).all(|pair| pair[0].0 < pair[1].0) {
        return Ok(entries.into_iter().collect());
    }
    let mut map = BTreeMap::new();
    for (address, item) in entries {
        match map.entry(address) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(item);
            }
            std::collections::btree_map::Entry::Occupied(slot) => return Err(twice(slot.key())),
        }
    }
    Ok(map)
}
