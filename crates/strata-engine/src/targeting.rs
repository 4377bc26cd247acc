//! `--target` and `--exclude`: which resources a plan may change.
//!
//! The closure over dependencies is computed on resources of the configuration (static
//! addresses: `module.web.strata_data.x` for every instance of `module.web`); which instances
//! of an included resource change is decided per instance by [`instance_targeted`], so
//! `--target module.web[1].strata_data.x` changes only that module instance's object.

use std::collections::{BTreeMap, BTreeSet};

use strata_addrs::{AbsResourceAddr, InstanceKey, ResourceInstanceAddr};
use strata_config::Config;
use strata_plan::PlanMode;
use strata_state::State;

use crate::plan::PlanOptions;
use crate::values::resource_dependencies;

/// `None` when neither option is given (everything is included).
pub(crate) fn included(config: &Config, state: &State, options: &PlanOptions) -> Option<BTreeSet<AbsResourceAddr>> {
    if options.targets.is_empty() && options.excludes.is_empty() && options.target_modules.is_empty() {
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
        depends_on.entry(addr.resource.to_static()).or_default().extend(instance.dependencies.iter().cloned());
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
    let mut included: BTreeSet<AbsResourceAddr> = if options.targets.is_empty() && options.target_modules.is_empty() {
        depends_on.keys().cloned().collect()
    } else {
        // Creating a target needs what it depends on; destroying it needs its dependents gone.
        let mut targets: Vec<AbsResourceAddr> = options.targets.iter().map(AbsResourceAddr::to_static).collect();
        // A module target: every resource in it and in the modules it calls.
        for module in &options.target_modules {
            let module = module.to_static();
            targets.extend(depends_on.keys().filter(|addr| module.contains(&addr.module)).cloned());
        }
        closure(&targets, options.mode != PlanMode::Destroy)
    };
    let excludes: Vec<AbsResourceAddr> = options.excludes.iter().map(AbsResourceAddr::to_static).collect();
    for excluded in closure(&excludes, false) {
        included.remove(&excluded);
    }
    Some(included)
}

/// Whether `--target` lets this instance change. Targets name resources whole
/// (`module.web.x.y`: every instance) or narrowed by keys, of module instances
/// (`module.web[1].x.y`) or of the resource (`x.y[1]`). An instance of a resource no target
/// names (one included as a dependency) always may.
pub(crate) fn instance_targeted(options: &PlanOptions, addr: &ResourceInstanceAddr) -> bool {
    let resource = addr.resource.to_static();
    // A resource target stands for all its instances unless it came with keyed instances of
    // the same resource (the CLI then passes those in `target_instances`).
    let whole = options
        .targets
        .iter()
        .filter(|t| !options.target_instances.iter().any(|i| &i.resource == *t))
        .map(|t| (t, &InstanceKey::None));
    let keyed = options.target_instances.iter().map(|i| (&i.resource, &i.key));
    let mut named = false;
    for (target, key) in whole.chain(keyed).filter(|(t, _)| t.to_static() == resource) {
        named = true;
        if target.module.contains(&addr.resource.module) && (*key == InstanceKey::None || *key == addr.key) {
            return true;
        }
    }
    for module in options.target_modules.iter().filter(|m| m.to_static().contains(&resource.module)) {
        named = true;
        if module.contains(&addr.resource.module) {
            return true;
        }
    }
    !named
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resource targets, keyed instance targets and module targets as the CLI passes them, an
    /// instance, and whether it may change.
    type Case = (&'static [&'static str], &'static [&'static str], &'static [&'static str], &'static str, bool);

    #[test]
    fn targets_narrow_instances_by_module_and_resource_keys() {
        let cases: [Case; 10] = [
            (&["module.web.strata_data.x"], &[], &[], "module.web[1].strata_data.x", true),
            (&["module.web[1].strata_data.x"], &[], &[], "module.web[1].strata_data.x", true),
            (&["module.web[1].strata_data.x"], &[], &[], "module.web[0].strata_data.x", false),
            (
                &["module.web[1].strata_data.x"],
                &["module.web[1].strata_data.x[2]"],
                &[],
                "module.web[1].strata_data.x[2]",
                true,
            ),
            (
                &["module.web[1].strata_data.x"],
                &["module.web[1].strata_data.x[2]"],
                &[],
                "module.web[1].strata_data.x[0]",
                false,
            ),
            (&[], &[], &["module.web[1]"], "module.web[1].module.inner.strata_file.f", true),
            (&[], &[], &["module.web[1]"], "module.web[0].module.inner.strata_file.f", false),
            (&[], &[], &["module.web"], "module.web[0].strata_data.x", true),
            // Not named by any target (a dependency): always.
            (&["module.web[1].strata_data.x"], &[], &[], "module.db[\"eu\"].strata_data.x", true),
            (&[], &[], &["module.web[1]"], "strata_data.root", true),
        ];
        for (targets, instances, modules, addr, expected) in cases {
            let options = PlanOptions {
                targets: targets.iter().map(|t| t.parse().unwrap()).collect(),
                target_instances: instances.iter().map(|t| t.parse().unwrap()).collect(),
                target_modules: modules.iter().map(|t| t.parse().unwrap()).collect(),
                ..PlanOptions::default()
            };
            let addr: ResourceInstanceAddr = addr.parse().unwrap();
            assert_eq!(instance_targeted(&options, &addr), expected, "{targets:?} {instances:?} {modules:?} {addr}");
        }
    }
}
