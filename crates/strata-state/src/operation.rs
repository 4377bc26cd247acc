//! Operations: the unit of change, and the records of the journal.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use strata_addrs::{AbsResourceAddr, ModulePath, ResourceInstanceAddr};

use crate::{InstanceState, Intent, KeyError, KeySource, OutputState, State, key_source};

/// One change to a [`State`]. Serialized into journal lines (and the PostgreSQL backend's
/// journal rows) as `{"serial": N, "op": "put_instance", "address": "...", "instance": {...}}`.
///
/// Serde encrypts sensitive values on the way out and decrypts them on the way in, with the key
/// of [`crate::with_key_source`] or else the working directory's (see `key_source.rs`), so
/// every backend stores them encrypted. A key problem is a serde error carrying the
/// [`KeyError`]'s message.
#[derive(Clone, Debug, PartialEq)]
pub enum Operation {
    /// Records an instance as created, updated or refreshed. Also clears an intent at the same
    /// address: the create it announced has completed, and doing both in one record means
    /// there is no moment where the state holds both or neither.
    PutInstance {
        address: ResourceInstanceAddr,
        instance: InstanceState,
    },
    RemoveInstance {
        address: ResourceInstanceAddr,
    },
    /// Announces a create before it is sent to the provider.
    PutIntent {
        address: ResourceInstanceAddr,
        intent: Intent,
    },
    /// Withdraws an intent whose create failed without creating anything.
    ClearIntent {
        address: ResourceInstanceAddr,
    },
    PutOutput {
        name: String,
        output: OutputState,
    },
    RemoveOutput {
        name: String,
    },
    /// A `create_before_destroy` replacement completed its create: the object at `address`
    /// becomes deposed (kept until its destroy completes) and `instance` takes the address, in
    /// one record, so no moment holds the old object twice or loses it.
    Depose {
        address: ResourceInstanceAddr,
        instance: InstanceState,
    },
    /// The deposed object at `address` is destroyed.
    RemoveDeposed {
        address: ResourceInstanceAddr,
    },
    /// `strata state mv`: every object at each `from` (the instance, and a deposed object or
    /// an intent at the same address) now lives at its `to`, all in one record, so a crash
    /// never leaves some objects moved and others not, nor one at both addresses.
    MoveInstances {
        moves: Vec<InstanceMove>,
        /// For a module move, the modules of the configuration it moves between (`module.a` →
        /// `module.b`, keys dropped): the moved objects' dependencies on resources in the first
        /// now name the second. Absent for instance moves (and in records of older writers).
        modules: Option<ModuleMove>,
    },
    /// `strata state rm`: the instances (with any deposed object or intent at their addresses)
    /// are forgotten, all in one record.
    RemoveInstances {
        addresses: Vec<ResourceInstanceAddr>,
    },
}

/// The modules a module move of [`Operation::MoveInstances`] goes between.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleMove {
    #[serde(with = "crate::serde_addr::one")]
    pub from: ModulePath,
    #[serde(with = "crate::serde_addr::one")]
    pub to: ModulePath,
}

impl ModuleMove {
    /// `dependencies` with those inside `from` moved under `to`.
    fn rewrite(&self, dependencies: &mut [AbsResourceAddr]) {
        for dependency in dependencies {
            if let Some(module) = dependency.module.replace_prefix(&self.from, &self.to) {
                dependency.module = module;
            }
        }
    }
}

/// One instance of a [`Operation::MoveInstances`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceMove {
    #[serde(with = "crate::serde_addr::one")]
    pub from: ResourceInstanceAddr,
    #[serde(with = "crate::serde_addr::one")]
    pub to: ResourceInstanceAddr,
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
            Operation::Depose { address, instance } => {
                state.intents.remove(&address);
                if let Some(old) = state.resources.remove(&address) {
                    state.deposed.insert(address.clone(), old);
                }
                state.resources.insert(address, instance);
            }
            Operation::RemoveDeposed { address } => {
                state.deposed.remove(&address);
            }
            Operation::MoveInstances { moves, modules } => {
                // Everything out first, then in: a move's target may be another's source.
                let taken: Vec<_> = moves
                    .into_iter()
                    .map(|m| {
                        let objects = (
                            state.resources.remove(&m.from),
                            state.deposed.remove(&m.from),
                            state.intents.remove(&m.from),
                        );
                        (m.to, objects)
                    })
                    .collect();
                for (to, (mut instance, mut deposed, intent)) in taken {
                    if let Some(modules) = &modules {
                        for object in instance.iter_mut().chain(deposed.iter_mut()) {
                            modules.rewrite(&mut object.dependencies);
                        }
                    }
                    if let Some(instance) = instance {
                        state.resources.insert(to.clone(), instance);
                    }
                    if let Some(deposed) = deposed {
                        state.deposed.insert(to.clone(), deposed);
                    }
                    if let Some(intent) = intent {
                        state.intents.insert(to, intent);
                    }
                }
            }
            Operation::RemoveInstances { addresses } => {
                for address in addresses {
                    state.resources.remove(&address);
                    state.deposed.remove(&address);
                    state.intents.remove(&address);
                }
            }
        }
    }

    /// The stored form: sensitive values encrypted with `keys`.
    pub(crate) fn sealed(&self, keys: &KeySource) -> Result<OperationOut<'_>, KeyError> {
        Ok(match self {
            Operation::PutInstance { address, instance } => {
                OperationOut::PutInstance { address, instance: instance.sealed(address, keys)? }
            }
            Operation::RemoveInstance { address } => OperationOut::RemoveInstance { address },
            Operation::PutIntent { address, intent } => {
                OperationOut::PutIntent { address, intent: intent.sealed(address, keys)? }
            }
            Operation::ClearIntent { address } => OperationOut::ClearIntent { address },
            Operation::PutOutput { name, output } => {
                OperationOut::PutOutput { name, output: output.sealed(name, keys)? }
            }
            Operation::RemoveOutput { name } => OperationOut::RemoveOutput { name },
            Operation::Depose { address, instance } => {
                OperationOut::Depose { address, instance: instance.sealed(address, keys)? }
            }
            Operation::RemoveDeposed { address } => OperationOut::RemoveDeposed { address },
            Operation::MoveInstances { moves, modules } => {
                OperationOut::MoveInstances { moves, modules: modules.as_ref() }
            }
            Operation::RemoveInstances { addresses } => OperationOut::RemoveInstances { addresses },
        })
    }

    /// Decrypts a stored operation in place.
    pub(crate) fn open(&mut self, keys: &KeySource) -> Result<(), KeyError> {
        match self {
            Operation::PutInstance { address, instance } | Operation::Depose { address, instance } => {
                instance.open(address, keys)
            }
            Operation::PutIntent { address, intent } => intent.open(address, keys),
            Operation::PutOutput { name, output } => output.open(name, keys),
            Operation::RemoveInstance { .. }
            | Operation::ClearIntent { .. }
            | Operation::RemoveOutput { .. }
            | Operation::RemoveDeposed { .. }
            | Operation::MoveInstances { .. }
            | Operation::RemoveInstances { .. } => Ok(()),
        }
    }

    /// An operation read from journal version 1, which stored everything in clear text.
    pub(crate) fn upgrade_from_v1(&mut self) {
        if let Operation::PutIntent { intent, .. } = self {
            intent.upgrade_from_v1();
        }
    }
}

impl Serialize for Operation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let sealed = self.sealed(&key_source::current()).map_err(serde::ser::Error::custom)?;
        sealed.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Operation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Operation, D::Error> {
        let mut operation = Operation::from(StoredOperation::deserialize(deserializer)?);
        operation.open(&key_source::current()).map_err(serde::de::Error::custom)?;
        Ok(operation)
    }
}

/// An operation as written: borrowed, with sensitive values encrypted.
#[derive(Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum OperationOut<'a> {
    PutInstance {
        #[serde(with = "crate::serde_addr::one")]
        address: &'a ResourceInstanceAddr,
        instance: Cow<'a, InstanceState>,
    },
    RemoveInstance {
        #[serde(with = "crate::serde_addr::one")]
        address: &'a ResourceInstanceAddr,
    },
    PutIntent {
        #[serde(with = "crate::serde_addr::one")]
        address: &'a ResourceInstanceAddr,
        intent: Cow<'a, Intent>,
    },
    ClearIntent {
        #[serde(with = "crate::serde_addr::one")]
        address: &'a ResourceInstanceAddr,
    },
    PutOutput {
        name: &'a str,
        output: Cow<'a, OutputState>,
    },
    RemoveOutput {
        name: &'a str,
    },
    Depose {
        #[serde(with = "crate::serde_addr::one")]
        address: &'a ResourceInstanceAddr,
        instance: Cow<'a, InstanceState>,
    },
    RemoveDeposed {
        #[serde(with = "crate::serde_addr::one")]
        address: &'a ResourceInstanceAddr,
    },
    MoveInstances {
        moves: &'a [InstanceMove],
        #[serde(skip_serializing_if = "Option::is_none")]
        modules: Option<&'a ModuleMove>,
    },
    RemoveInstances {
        #[serde(with = "crate::serde_addr::list")]
        addresses: &'a [ResourceInstanceAddr],
    },
}

/// An operation as read, before decryption ([`Operation::open`]).
#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum StoredOperation {
    PutInstance {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
        instance: InstanceState,
    },
    RemoveInstance {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
    },
    PutIntent {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
        intent: Intent,
    },
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
    Depose {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
        instance: InstanceState,
    },
    RemoveDeposed {
        #[serde(with = "crate::serde_addr::one")]
        address: ResourceInstanceAddr,
    },
    MoveInstances {
        moves: Vec<InstanceMove>,
        #[serde(default)]
        modules: Option<ModuleMove>,
    },
    RemoveInstances {
        #[serde(with = "crate::serde_addr::list")]
        addresses: Vec<ResourceInstanceAddr>,
    },
}

impl From<StoredOperation> for Operation {
    fn from(stored: StoredOperation) -> Operation {
        match stored {
            StoredOperation::PutInstance { address, instance } => Operation::PutInstance { address, instance },
            StoredOperation::RemoveInstance { address } => Operation::RemoveInstance { address },
            StoredOperation::PutIntent { address, intent } => Operation::PutIntent { address, intent },
            StoredOperation::ClearIntent { address } => Operation::ClearIntent { address },
            StoredOperation::PutOutput { name, output } => Operation::PutOutput { name, output },
            StoredOperation::RemoveOutput { name } => Operation::RemoveOutput { name },
            StoredOperation::Depose { address, instance } => Operation::Depose { address, instance },
            StoredOperation::RemoveDeposed { address } => Operation::RemoveDeposed { address },
            StoredOperation::MoveInstances { moves, modules } => Operation::MoveInstances { moves, modules },
            StoredOperation::RemoveInstances { addresses } => Operation::RemoveInstances { addresses },
        }
    }
}
