//! Version 1 of the state file: the layout of `document.rs`, with every value in clear text
//! (sensitive ones only marked by `sensitive_paths`) and intents without `sensitive_paths`.
//!
//! Read only: a state read from version 1 is written back as version 2, which encrypts its
//! sensitive values. Intents of version 1 did not record which parts of `planned` were
//! sensitive, so all of it is treated as sensitive from then on.

use std::path::Path;

use super::document::{by_address, parse};
use crate::{State, StateError};

pub(super) fn read_v1(bytes: &[u8], path: &Path) -> Result<State, StateError> {
    let file = parse(bytes, path)?;
    let mut intents = by_address(file.intents, path, "intent")?;
    for intent in intents.values_mut() {
        intent.upgrade_from_v1();
    }
    Ok(State {
        lineage: file.lineage,
        serial: file.serial,
        resources: by_address(file.resources, path, "resource")?,
        outputs: file.outputs,
        intents,
        deposed: std::collections::BTreeMap::new(),
    })
}
