//! Version 1 of the state file.
//!
//! ```json
//! {
//!   "format": "strata-state",
//!   "version": 1,
//!   "serial": 3,
//!   "lineage": "…uuid…",
//!   "resources": [{"address": "emr_cluster.a", "provider": "provider.emr", "schema_version": 0,
//!                  "attributes": {}, "sensitive_paths": [], "dependencies": [],
//!                  "status": "ready", "create_before_destroy": false}],
//!   "outputs": {"name": {"value": "x", "sensitive": false}},
//!   "intents": [{"address": "…", "token": "…", "provider": "…", "planned": {}, "started_at": "…"}]
//! }
//! ```
//! Unknown fields are ignored, never rejected, so a newer writer's additions do not break us.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use strata_addrs::ResourceInstanceAddr;

use crate::{InstanceState, Intent, OutputState, State, StateError};

#[derive(Deserialize)]
struct StateFile {
    serial: u64,
    lineage: String,
    #[serde(default)]
    resources: Vec<Entry<InstanceState>>,
    #[serde(default)]
    outputs: BTreeMap<String, OutputState>,
    #[serde(default)]
    intents: Vec<Entry<Intent>>,
}

/// A resource or intent with its address first.
#[derive(Deserialize)]
struct Entry<T> {
    #[serde(with = "crate::serde_addr::one")]
    address: ResourceInstanceAddr,
    #[serde(flatten)]
    item: T,
}

/// The written form borrows from the state: compaction of a large state copies nothing.
#[derive(Serialize)]
struct StateFileOut<'a> {
    format: &'static str,
    version: u64,
    serial: u64,
    lineage: &'a str,
    resources: Vec<EntryOut<'a, InstanceState>>,
    outputs: &'a BTreeMap<String, OutputState>,
    intents: Vec<EntryOut<'a, Intent>>,
}

#[derive(Serialize)]
struct EntryOut<'a, T> {
    #[serde(with = "crate::serde_addr::one")]
    address: &'a ResourceInstanceAddr,
    #[serde(flatten)]
    item: &'a T,
}

pub(super) fn read_v1(bytes: &[u8], path: &Path) -> Result<State, StateError> {
    let file: StateFile =
        serde_json::from_slice(bytes).map_err(|source| StateError::Parse { path: path.to_owned(), source })?;
    Ok(State {
        lineage: file.lineage,
        serial: file.serial,
        resources: by_address(file.resources, path, "resource")?,
        outputs: file.outputs,
        intents: by_address(file.intents, path, "intent")?,
    })
}

/// Entries keyed by address. A duplicate means the file was edited by hand or corrupted; keeping
/// either copy silently could forget a real object, so it is an error.
fn by_address<T>(
    entries: Vec<Entry<T>>,
    path: &Path,
    what: &str,
) -> Result<BTreeMap<ResourceInstanceAddr, T>, StateError> {
    let mut map = BTreeMap::new();
    for Entry { address, item } in entries {
        if map.contains_key(&address) {
            return Err(StateError::Parse {
                path: path.to_owned(),
                source: serde::de::Error::custom(format!("the {what} {address} appears twice")),
            });
        }
        map.insert(address, item);
    }
    Ok(map)
}

pub(super) fn write_v1(state: &State) -> Result<Vec<u8>, serde_json::Error> {
    let file = StateFileOut {
        format: super::FORMAT_NAME,
        version: 1,
        serial: state.serial,
        lineage: &state.lineage,
        resources: state.resources.iter().map(|(address, item)| EntryOut { address, item }).collect(),
        outputs: &state.outputs,
        intents: state.intents.iter().map(|(address, item)| EntryOut { address, item }).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file)?;
    bytes.push(b'\n');
    Ok(bytes)
}
