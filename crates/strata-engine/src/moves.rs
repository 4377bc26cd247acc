//! `moved` blocks: an object recorded at one address now belongs to another.

use std::borrow::Cow;

use strata_config::{ModuleMoved, Moved};
use strata_plan::Move;
use strata_state::State;

/// The state as planning should see it, with every applicable move made, and the moves made.
/// A move applies when its `from` is in state and its `to` is not (so applying a plan twice,
/// or keeping old `moved` blocks around, is harmless). Chains (`a` → `b`, `b` → `c`) follow
/// in block order. `moved { from = module.a, to = module.a[0] }` moves every object whose
/// module path starts with `module.a` (exactly: `module.a[1]` does not).
pub(crate) fn apply_moves<'s>(
    state: &'s State,
    moves: &[Moved],
    module_moves: &[ModuleMoved],
) -> (Cow<'s, State>, Vec<Move>) {
    // A module move is the move of every object below it, made first (as each of those).
    let mut expanded: Vec<Moved> = Vec::new();
    for m in module_moves {
        for addr in state.resources.keys() {
            if let Some(module) = addr.resource.module.replace_prefix(&m.from, &m.to) {
                let mut to = addr.clone();
                to.resource.module = module;
                expanded.push(Moved { from: addr.clone(), to, span: m.span });
            }
        }
    }
    let moves: Vec<Moved> =
        if expanded.is_empty() { moves.to_vec() } else { expanded.into_iter().chain(moves.iter().cloned()).collect() };
    let moves = moves.as_slice();
    let applicable: Vec<&Moved> = moves
        .iter()
        .filter(|m| state.resources.contains_key(&m.from) || moves.iter().any(|o| o.to == m.from))
        .collect();
    if applicable.is_empty() {
        return (Cow::Borrowed(state), Vec::new());
    }
    let mut view = state.clone();
    let mut made = Vec::new();
    for m in applicable {
        if let Some(existing) = view.resources.get(&m.to) {
            // A move interrupted between its two records leaves the same object at both
            // addresses; finish it instead of planning to destroy `from` as an orphan.
            if view.resources.get(&m.from) == Some(existing) {
                view.resources.remove(&m.from);
                made.push(Move { from: m.from.clone(), to: m.to.clone() });
            }
            continue;
        }
        if let Some(instance) = view.resources.remove(&m.from) {
            view.resources.insert(m.to.clone(), instance);
            made.push(Move { from: m.from.clone(), to: m.to.clone() });
        }
    }
    (Cow::Owned(view), made)
}
