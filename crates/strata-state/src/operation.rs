//! Operations: the unit of change, and the records of the journal.

use serde::{Deserialize, Serialize};
use strata_addrs::ResourceInstanceAddr;

use crate::{InstanceState, Intent, OutputState, State};

/// One change to a [`State`]. Serialized into journal lines as
/// `{"serial": N, "op": "put_instance", "address": "...", "instance": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Records an instance as created, updated or refreshed. Also clears an intent at the same
    /// address: the create it announced has completed, and doing both in one record means
    /// there is no moment where the state holds both or neither.
    PutInstance {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
        instance: InstanceState,
    },
    RemoveInstance {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
    },
    /// Announces a create before it is sent to the provider.
    PutIntent {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
        intent: Intent,
    },
    /// Withdraws an intent whose create failed without creating anything.
    ClearIntent {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
    },
    PutOutput {
        name: String,
        output: OutputState,
    },
    RemoveOutput {
        name: String,
    },
}

impl Operation {
    /// Applies the change to `state` (not the serial: see [`State::apply`]).
    pub fn apply_to(self, state: &mut State) {
        match self {
            Operation::PutInstance { address, instance } => {
                state.intents.remove(&address);
                state.resources.insert(address, instance);
            }
            Operation::RemoveInstance { address } => {
                state.resources.remove(&address);
            }
            Operation::PutIntent { address, intent } => {
                state.intents.insert(address, intent);
            }
            Operation::ClearIntent { address } => {
                state.intents.remove(&address);
            }
            Operation::PutOutput { name, output } => {
                state.outputs.insert(name, output);
            }
            Operation::RemoveOutput { name } => {
                state.outputs.remove(&name);
            }
        }
    }
}
