//! `strata state mv` and `state rm` as pure functions: a [`StateAddress`] (a resource instance
//! or a module instance) and the state give the [`Operation`] to record, or an [`EditError`]
//! naming the address.
//!
//! Module addresses follow Terraform: `state mv module.a module.a[0]` moves every object whose
//! address starts with `module.a` (step for step, keys included: not those of `module.a[1]`)
//! to the same address under `module.a[0]`, nested modules included; `state rm module.a`
//! forgets every instance of `module.a` (a step without a key stands for every instance),
//! `state rm module.a[0]` only that instance's objects.

use std::fmt;
use std::str::FromStr;

use strata_addrs::{AbsResourceAddr, InstanceKey, ModulePath, ResourceInstanceAddr};

use crate::operation::{InstanceMove, ModuleMove};
use crate::{Operation, State};

/// What `state mv` and `state rm` take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateAddress {
    /// `strata_file.f`, `module.web[1].strata_data.x["a"]`
    Instance(ResourceInstanceAddr),
    /// `module.web`, `module.web[1].module.inner`
    Module(ModulePath),
}

impl fmt::Display for StateAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateAddress::Instance(addr) => addr.fmt(f),
            StateAddress::Module(path) => path.fmt(f),
        }
    }
}

impl FromStr for StateAddress {
    type Err = String;

    fn from_str(text: &str) -> Result<StateAddress, String> {
        match text.parse::<ResourceInstanceAddr>() {
            Ok(addr) => Ok(StateAddress::Instance(addr)),
            Err(e) => match text.parse::<ModulePath>() {
                Ok(path) if !path.is_root() => Ok(StateAddress::Module(path)),
                _ => Err(e.to_string()),
            },
        }
    }
}

/// Why a `state mv` or `state rm` is refused. Each names the addresses; [`EditError::hint`]
/// says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{}", nothing_matches(.0))]
    NothingMatches(StateAddress),
    #[error("{to} already has objects in the state ({existing}); moving {from} there would mix two sets of objects.")]
    TargetExists { from: StateAddress, to: StateAddress, existing: ResourceInstanceAddr },
    #[error(
        "{from} and {to} are of different kinds: a resource instance moves to a resource instance, a resource with keyed instances to a resource, a module instance to a module instance."
    )]
    KindMismatch { from: StateAddress, to: StateAddress },
    #[error("{from} and {to} are of different resource types ({from_type} and {to_type}).")]
    TypeMismatch { from: ResourceInstanceAddr, to: ResourceInstanceAddr, from_type: String, to_type: String },
    #[error("{to} is {from} itself or inside it; a module instance cannot move into itself.")]
    IntoItself { from: ModulePath, to: ModulePath },
}

fn nothing_matches(address: &StateAddress) -> String {
    match address {
        StateAddress::Instance(addr) => format!("No object in the state has the address {addr}."),
        StateAddress::Module(path) => format!("No object in the state is in the module instance {path}."),
    }
}

impl EditError {
    /// A fixed summary for the diagnostic.
    pub fn summary(&self) -> &'static str {
        match self {
            EditError::NothingMatches(_) => "No matching objects in the state",
            EditError::TargetExists { .. } => "Move target already exists",
            EditError::KindMismatch { .. } | EditError::TypeMismatch { .. } | EditError::IntoItself { .. } => {
                "Invalid move"
            }
        }
    }

    /// What to do about it.
    pub fn hint(&self, state: &State) -> String {
        match self {
            EditError::NothingMatches(StateAddress::Module(path)) => {
                // `module.a` when the state has `module.a[0]`: name an instance.
                let instances: Vec<String> = module_instances_under(state, path)
                    .into_iter()
                    .filter(|instance| *instance != *path)
                    .take(3)
                    .map(|instance| instance.to_string())
                    .collect();
                if instances.is_empty() {
                    "`strata state list` shows the addresses in the state".to_owned()
                } else {
                    format!("the state has instances of it: {}; name one of them", instances.join(", "))
                }
            }
            EditError::NothingMatches(StateAddress::Instance(_)) => {
                "`strata state list` shows the addresses in the state".to_owned()
            }
            EditError::TargetExists { to, .. } => {
                format!(
                    "move or remove what is at {to} first (`strata state list` shows it), or choose another address"
                )
            }
            EditError::KindMismatch { .. } => {
                "name two resource instances (strata_data.x[0]) or two module instances (module.web[1])".to_owned()
            }
            EditError::TypeMismatch { .. } => {
                "an object can only move to an address of its own resource type".to_owned()
            }
            EditError::IntoItself { .. } => "move it to an address outside it".to_owned(),
        }
    }
}

/// `strata state mv FROM TO`: one [`Operation::MoveInstances`] moving every instance FROM
/// names (a module instance: every instance inside it).
pub fn move_operation(state: &State, from: &StateAddress, to: &StateAddress) -> Result<Operation, EditError> {
    let modules = match (from, to) {
        (StateAddress::Module(from_path), StateAddress::Module(to_path))
            if from_path.to_static() != to_path.to_static() =>
        {
            Some(ModuleMove { from: from_path.to_static(), to: to_path.to_static() })
        }
        _ => None,
    };
    let moves: Vec<InstanceMove> = match (from, to) {
        (StateAddress::Instance(from_addr), StateAddress::Instance(to_addr)) => {
            let sources = instances_named(state, from_addr);
            if sources.is_empty() {
                return Err(EditError::NothingMatches(from.clone()));
            }
            if from_addr.resource.resource.type_name != to_addr.resource.resource.type_name {
                return Err(EditError::TypeMismatch {
                    from: from_addr.clone(),
                    to: to_addr.clone(),
                    from_type: from_addr.resource.resource.type_name.clone(),
                    to_type: to_addr.resource.resource.type_name.clone(),
                });
            }
            match sources.as_slice() {
                [only] if only == from_addr => vec![InstanceMove { from: only.clone(), to: to_addr.clone() }],
                // A resource whose instances have keys: all of them, each keeping its key.
                _ if to_addr.key == InstanceKey::None => sources
                    .into_iter()
                    .map(|source| InstanceMove {
                        to: ResourceInstanceAddr { resource: to_addr.resource.clone(), key: source.key.clone() },
                        from: source,
                    })
                    .collect(),
                _ => return Err(EditError::KindMismatch { from: from.clone(), to: to.clone() }),
            }
        }
        (StateAddress::Module(from_path), StateAddress::Module(to_path)) => {
            if to_path.replace_prefix(from_path, from_path).is_some() {
                return Err(EditError::IntoItself { from: from_path.clone(), to: to_path.clone() });
            }
            let moves: Vec<InstanceMove> = addresses(state)
                .filter_map(|addr| {
                    let module = addr.resource.module.replace_prefix(from_path, to_path)?;
                    let to = ResourceInstanceAddr {
                        resource: AbsResourceAddr { module, resource: addr.resource.resource.clone() },
                        key: addr.key.clone(),
                    };
                    Some(InstanceMove { from: addr.clone(), to })
                })
                .collect();
            if moves.is_empty() {
                return Err(EditError::NothingMatches(from.clone()));
            }
            moves
        }
        _ => return Err(EditError::KindMismatch { from: from.clone(), to: to.clone() }),
    };
    let sources: Vec<&ResourceInstanceAddr> = moves.iter().map(|m| &m.from).collect();
    // What the target already holds (and this move does not take away).
    let existing = match to {
        StateAddress::Instance(to_addr) => moves
            .iter()
            .map(|m| &m.to)
            .chain(std::iter::once(to_addr))
            .find(|addr| has_objects_at(state, addr) && !sources.contains(addr))
            .cloned(),
        StateAddress::Module(to_path) => addresses(state)
            .find(|addr| addr.resource.module.replace_prefix(to_path, to_path).is_some() && !sources.contains(addr))
            .cloned(),
    };
    if let Some(existing) = existing {
        return Err(EditError::TargetExists { from: from.clone(), to: to.clone(), existing });
    }
    Ok(Operation::MoveInstances { moves, modules })
}

/// `strata state rm ADDRESS`: one [`Operation::RemoveInstances`] forgetting every instance
/// ADDRESS names.
pub fn remove_operation(state: &State, address: &StateAddress) -> Result<Operation, EditError> {
    let addresses: Vec<ResourceInstanceAddr> = match address {
        StateAddress::Instance(addr) => instances_named(state, addr),
        StateAddress::Module(path) => addresses(state).filter(|a| path.contains(&a.resource.module)).cloned().collect(),
    };
    if addresses.is_empty() {
        return Err(EditError::NothingMatches(address.clone()));
    }
    Ok(Operation::RemoveInstances { addresses })
}

/// Every address with an object (instance, deposed object or intent), each once, sorted.
fn addresses(state: &State) -> impl Iterator<Item = &ResourceInstanceAddr> {
    let mut all: Vec<&ResourceInstanceAddr> =
        state.resources.keys().chain(state.deposed.keys()).chain(state.intents.keys()).collect();
    all.sort();
    all.dedup();
    all.into_iter()
}

/// The addresses with objects `addr` names: itself, or for a resource address without a key
/// that has none there, every keyed instance of the resource (`strata_file.f`: `f[0]`, `f[1]`).
fn instances_named(state: &State, addr: &ResourceInstanceAddr) -> Vec<ResourceInstanceAddr> {
    if has_objects_at(state, addr) {
        return vec![addr.clone()];
    }
    if addr.key != InstanceKey::None {
        return Vec::new();
    }
    addresses(state).filter(|a| a.resource == addr.resource).cloned().collect()
}

fn has_objects_at(state: &State, addr: &ResourceInstanceAddr) -> bool {
    state.resources.contains_key(addr) || state.deposed.contains_key(addr) || state.intents.contains_key(addr)
}

/// The module instances of the state `path` contains, at `path`'s depth.
fn module_instances_under(state: &State, path: &ModulePath) -> Vec<ModulePath> {
    let depth = path.steps().len();
    let mut found: Vec<ModulePath> = addresses(state)
        .filter(|a| path.contains(&a.resource.module))
        .map(|a| {
            let steps = &a.resource.module.steps()[..depth];
            steps.iter().fold(ModulePath::root(), |p, s| p.child_instance(&s.name, s.key.clone()))
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InstanceState;

    /// An object whose attributes name the address it was made at.
    fn object(address: &str) -> InstanceState {
        InstanceState {
            provider: "provider.strata".parse().unwrap(),
            schema_version: 0,
            attributes: serde_json::json!({ "made_at": address }),
            sensitive_paths: Vec::new(),
            dependencies: Vec::new(),
            status: crate::InstanceStatus::Ready,
            create_before_destroy: false,
        }
    }

    fn state(addresses: &[&str]) -> State {
        let mut state = State::new();
        for text in addresses {
            state.resources.insert(text.parse().unwrap(), object(text));
        }
        state
    }

    fn moved(state: &State, from: &str, to: &str) -> Result<Vec<(String, String)>, EditError> {
        let operation = move_operation(state, &from.parse().unwrap(), &to.parse().unwrap())?;
        let Operation::MoveInstances { moves, .. } = operation else { unreachable!() };
        Ok(moves.into_iter().map(|m| (m.from.to_string(), m.to.to_string())).collect())
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    /// Moving a module to another call carries the moved objects' dependencies inside it along;
    /// a move between instances of one call (`module.a` → `module.a[0]`) leaves them.
    #[test]
    fn module_moves_carry_dependencies_inside_the_module_along() {
        let mut state = state(&["module.a[0].strata_data.x", "module.a[0].module.inner.strata_data.y"]);
        let deps = ["module.a.strata_data.y", "module.a.module.inner.strata_data.z", "strata_data.root"];
        state.resources.get_mut(&"module.a[0].strata_data.x".parse().unwrap()).unwrap().dependencies =
            deps.iter().map(|d| d.parse().unwrap()).collect();
        let dependencies = |state: &State, addr: &str| -> Vec<String> {
            state.resources[&addr.parse().unwrap()].dependencies.iter().map(ToString::to_string).collect()
        };

        let mut within = state.clone();
        move_operation(&within, &"module.a[0]".parse().unwrap(), &"module.a[1]".parse().unwrap())
            .unwrap()
            .apply_to(&mut within);
        assert_eq!(dependencies(&within, "module.a[1].strata_data.x"), deps);

        let operation = move_operation(&state, &"module.a[0]".parse().unwrap(), &"module.b[\"x\"]".parse().unwrap());
        operation.unwrap().apply_to(&mut state);
        assert_eq!(
            dependencies(&state, "module.b[\"x\"].strata_data.x"),
            ["module.b.strata_data.y", "module.b.module.inner.strata_data.z", "strata_data.root"]
        );
    }

    #[test]
    fn module_instances_move_with_everything_inside() {
        let state = state(&[
            "module.a.strata_data.x",
            "module.a.module.inner.strata_file.f",
            "module.a.strata_data.c[1]",
            "module.web[1].strata_data.x",
            "module.web[10].strata_data.x",
            "strata_data.root",
        ]);
        assert_eq!(
            moved(&state, "module.a", "module.a[0]").unwrap(),
            pairs(&[
                ("module.a.strata_data.c[1]", "module.a[0].strata_data.c[1]"),
                ("module.a.strata_data.x", "module.a[0].strata_data.x"),
                ("module.a.module.inner.strata_file.f", "module.a[0].module.inner.strata_file.f"),
            ])
        );
        assert_eq!(
            moved(&state, "module.web[1]", "module.b[\"x\"].module.c").unwrap(),
            pairs(&[("module.web[1].strata_data.x", "module.b[\"x\"].module.c.strata_data.x")])
        );
        assert_eq!(moved(&state, "strata_data.root", "strata_data.other").unwrap().len(), 1);
        // A resource with keyed instances: every instance, keys kept.
        assert_eq!(
            moved(&state, "module.a.strata_data.c", "strata_data.c").unwrap(),
            pairs(&[("module.a.strata_data.c[1]", "strata_data.c[1]")])
        );
    }

    #[test]
    fn moves_are_refused_with_the_addresses() {
        let state = state(&["module.a.strata_data.x", "module.b[0].strata_data.y", "module.web[0].strata_data.x"]);
        let refused = |from: &str, to: &str| moved(&state, from, to).unwrap_err();
        assert!(matches!(
            refused("module.a", "module.b[0]"),
            EditError::TargetExists { existing, .. } if existing.to_string() == "module.b[0].strata_data.y"
        ));
        assert!(matches!(refused("module.nothing", "module.c"), EditError::NothingMatches(_)));
        assert!(matches!(refused("module.a", "module.a.module.b"), EditError::IntoItself { .. }));
        assert!(matches!(refused("module.a", "strata_data.x"), EditError::KindMismatch { .. }));
        assert!(matches!(refused("module.a.strata_data.x", "strata_file.x"), EditError::TypeMismatch { .. }));
        // `module.web` is not `module.web[0]`: the hint names the instances.
        let error = refused("module.web", "module.other");
        assert!(error.hint(&state).contains("module.web[0]"), "{}", error.hint(&state));
    }

    #[test]
    fn removing_a_module_takes_its_instances_or_one_instance() {
        let state =
            state(&["module.a[0].strata_data.x", "module.a[0].module.b.strata_data.y", "module.a[1].strata_data.x"]);
        let removed = |text: &str| {
            let Operation::RemoveInstances { addresses } = remove_operation(&state, &text.parse().unwrap()).unwrap()
            else {
                unreachable!()
            };
            addresses.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        assert_eq!(removed("module.a[0]"), ["module.a[0].strata_data.x", "module.a[0].module.b.strata_data.y"]);
        assert_eq!(removed("module.a").len(), 3);
        assert!(matches!(remove_operation(&state, &"module.a[2]".parse().unwrap()), Err(EditError::NothingMatches(_))));
    }

    #[test]
    fn a_move_is_applied_at_once() {
        let mut state = state(&["module.a.strata_data.x", "module.a.module.b.strata_data.y"]);
        move_operation(&state, &"module.a".parse().unwrap(), &"module.a[0]".parse().unwrap())
            .unwrap()
            .apply_to(&mut state);
        let list: Vec<String> = state.resources.keys().map(ToString::to_string).collect();
        assert_eq!(list, ["module.a[0].strata_data.x", "module.a[0].module.b.strata_data.y"]);
        assert_eq!(state.resources.values().next().unwrap(), &object("module.a.strata_data.x"));
    }
}
