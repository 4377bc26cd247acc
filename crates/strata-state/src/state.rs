//! The in-memory state.

use std::collections::BTreeMap;

use strata_addrs::ResourceInstanceAddr;

use crate::{InstanceState, Intent, Operation, OutputState};

/// Everything Strata knows it created. Changed only through [`State::apply`], which the
/// journal replay, the store's writer and callers share, so all three agree on what an
/// [`Operation`] means.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// A UUID fixed for the life of a state: tells a copy of this state from a different one.
    pub lineage: String,
    /// One more on every persisted change; a copy with a higher serial is newer.
    pub serial: u64,
    pub resources: BTreeMap<ResourceInstanceAddr, InstanceState>,
    pub outputs: BTreeMap<String, OutputState>,
    /// Creates sent to a provider whose result is not recorded yet.
    pub intents: BTreeMap<ResourceInstanceAddr, Intent>,
    /// Objects a `create_before_destroy` replacement moved aside (the new object holds the
    /// address) and whose destroy has not completed: the next plan destroys them.
    pub deposed: BTreeMap<ResourceInstanceAddr, InstanceState>,
}

impl State {
    /// An empty state with a new lineage.
    pub fn new() -> State {
        State {
            lineage: uuid::Uuid::new_v4().to_string(),
            serial: 0,
            resources: BTreeMap::new(),
            outputs: BTreeMap::new(),
            intents: BTreeMap::new(),
            deposed: BTreeMap::new(),
        }
    }

    /// Applies an operation persisted with `serial`. The serial only moves forward, so callers
    /// whose concurrent records complete out of order still end at the highest one.
    pub fn apply(&mut self, serial: u64, operation: Operation) {
        operation.apply_to(self);
        self.serial = self.serial.max(serial);
    }
}

impl Default for State {
    fn default() -> State {
        State::new()
    }
}
