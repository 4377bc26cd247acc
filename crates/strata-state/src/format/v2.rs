//! Versions 2 and 3 of the state file: the layout of `document.rs`, with sensitive values
//! encrypted; version 3 adds `deposed` (objects a `create_before_destroy` replacement moved
//! aside) and is written only when there are any.
//!
//! At each of an instance's `sensitive_paths` (outermost only), at each of an intent's, and as
//! the value of an output with `"sensitive": true`, the stored JSON is
//! `{"$encrypted": "<base64>"}` (see `sealing.rs` for what the base64 holds). Everything else
//! is plain JSON, as in version 1. A plain value where an encrypted one is expected is taken
//! as it is (it is encrypted on the next write).

use std::path::Path;

use super::Unwritable;
use super::document::{EntryOut, StateFileOut, by_address, parse};
use crate::{KeySource, State, StateError};

pub(super) fn read_v2(bytes: &[u8], path: &Path, keys: &KeySource) -> Result<State, StateError> {
    let file = parse(bytes, path)?;
    let key_error = |source| StateError::Key { path: path.to_owned(), source };
    let mut resources = by_address(file.resources, path, "resource")?;
    for (address, instance) in &mut resources {
        instance.open(address, keys).map_err(key_error)?;
    }
    let mut outputs = file.outputs;
    for (name, output) in &mut outputs {
        output.open(name, keys).map_err(key_error)?;
    }
    let mut intents = by_address(file.intents, path, "intent")?;
    for (address, intent) in &mut intents {
        intent.open(address, keys).map_err(key_error)?;
    }
    let mut deposed = by_address(file.deposed, path, "deposed object")?;
    for (address, instance) in &mut deposed {
        instance.open(address, keys).map_err(key_error)?;
    }
    Ok(State { lineage: file.lineage, serial: file.serial, resources, outputs, intents, deposed })
}

pub(super) fn write_v2(state: &State, keys: &KeySource) -> Result<Vec<u8>, Unwritable> {
    let mut resources = Vec::with_capacity(state.resources.len());
    for (address, instance) in &state.resources {
        resources.push(EntryOut { address, item: instance.sealed(address, keys).map_err(Unwritable::Key)? });
    }
    let mut outputs = std::collections::BTreeMap::new();
    for (name, output) in &state.outputs {
        outputs.insert(name.as_str(), output.sealed(name, keys).map_err(Unwritable::Key)?);
    }
    let mut intents = Vec::with_capacity(state.intents.len());
    for (address, intent) in &state.intents {
        intents.push(EntryOut { address, item: intent.sealed(address, keys).map_err(Unwritable::Key)? });
    }
    let mut deposed = Vec::with_capacity(state.deposed.len());
    for (address, instance) in &state.deposed {
        deposed.push(EntryOut { address, item: instance.sealed(address, keys).map_err(Unwritable::Key)? });
    }
    // Version 3 is version 2 plus `deposed`; it is written only when there are deposed
    // objects, so a reader that knows only version 2 refuses such a state instead of
    // silently forgetting them, and every other state stays version 2.
    let version = if deposed.is_empty() { 2 } else { 3 };
    let file = StateFileOut {
        format: super::FORMAT_NAME,
        version,
        serial: state.serial,
        lineage: &state.lineage,
        resources,
        outputs,
        intents,
        deposed,
    };
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(Unwritable::Json)?;
    bytes.push(b'\n');
    Ok(bytes)
}
