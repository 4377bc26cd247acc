//! `--target` and `--exclude`: which resources a plan may change.

use std::collections::{BTreeMap, BTreeSet};

use strata_addrs::AbsResourceAddr;
use strata_config::Config;
use strata_plan::PlanMode;
use strata_state::State;

use crate::plan::PlanOptions;
use crate::values::resource_dependencies;

/// `None` when neither option is given (everything is included).
pub(crate) fn included(config: &Config, state: &State, options: &PlanOptions) -> Option<BTreeSet<AbsResourceAddr>> {
    if options.targets.is_empty() && options.excludes.is_empty() {
        return None;
    }
    // Who depends on whom, from the configuration and, for what it no longer has, the state.
    let mut depends_on: BTreeMap<AbsResourceAddr, BTreeSet<AbsResourceAddr>> = BTreeMap::new();
    for node in config.root.walk() {
        for (addr, resource) in &node.module.resources {
            let abs = AbsResourceAddr { module: node.path.clone(), resource: addr.clone() };
            depends_on.insert(abs, resource_dependencies(config, &node.path, resource));
        }
    }
    for (addr, instance) in &state.resources {
        depends_on.entry(addr.resource.clone()).or_default().extend(instance.dependencies.iter().cloned());
    }
    let mut dependents: BTreeMap<&AbsResourceAddr, BTreeSet<&AbsResourceAddr>> = BTreeMap::new();
    for (addr, deps) in &depends_on {
        for dep in deps {
            dependents.entry(dep).or_default().insert(addr);
        }
    }
    let closure = |start: &[AbsResourceAddr], forward: bool| -> BTreeSet<AbsResourceAddr> {
        let mut seen: BTreeSet<AbsResourceAddr> = BTreeSet::new();
        let mut stack: Vec<AbsResourceAddr> = start.to_vec();
        while let Some(addr) = stack.pop() {
            if !seen.insert(addr.clone()) {
                continue;
            }
            let next: Vec<AbsResourceAddr> = if forward {
                depends_on.get(&addr).into_iter().flatten().cloned().collect()
            } else {
                dependents.get(&addr).into_iter().flatten().map(|a| (*a).clone()).collect()
            };
            stack.extend(next);
        }
        seen
    };
    let mut included: BTreeSet<AbsResourceAddr> = if options.targets.is_empty() {
        depends_on.keys().cloned().collect()
    } else {
        // Creating a target needs what it depends on; destroying it needs its dependents gone.
        closure(&options.targets, options.mode != PlanMode::Destroy)
    };
    for excluded in closure(&options.excludes, false) {
        included.remove(&excluded);
    }
    Some(included)
}
