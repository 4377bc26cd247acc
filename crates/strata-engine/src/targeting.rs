//! `--target` and `--exclude`: which resources a plan may change.
//!
//! The closure over dependencies is computed on resources of the configuration (static
//! addresses: `module.web.strata_data.x` for every instance of `module.web`); which instances
//! of an included resource change is decided per instance by [`instance_targeted`], so
//! `--target module.web[1].strata_data.x` changes only that module instance's object.
//!
//! `--exclude` works on instances: an [`Exclusion`] is a resource of the configuration narrowed
//! to the instances in some module instances (`module.web[1]`) and, for the named resource
//! itself, to one instance key. What depends on an excluded instance is excluded in the
//! module instance the two share (a resource beside it in `module.web[1]`: only its
//! `module.web[1]` instances; a resource outside `module.web`: all of it).

use std::collections::{BTreeMap, BTreeSet};

use strata_addrs::{AbsResourceAddr, InstanceKey, ModulePath, ModuleStep, ResourceInstanceAddr};
use strata_config::Config;
use strata_plan::PlanMode;
use strata_state::State;

use crate::plan::PlanOptions;
use crate::values::resource_dependencies;

/// Instances `--exclude` leaves alone: those of `resource` (a resource of the configuration)
/// in the module instances `module` contains, with the instance key `key` (`None`: any key).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Exclusion {
    pub resource: AbsResourceAddr,
    pub module: ModulePath,
    pub key: InstanceKey,
}

impl Exclusion {
    /// Whether this instance is excluded.
    pub(crate) fn matches(&self, addr: &ResourceInstanceAddr) -> bool {
        (self.key == InstanceKey::None || self.key == addr.key) && self.covers_module_instance(&addr.resource)
    }

    /// Whether every instance of the resource in this module instance (`module.web[1].x.y`) is
    /// excluded.
    pub(crate) fn covers(&self, resource: &AbsResourceAddr) -> bool {
        self.key == InstanceKey::None && self.covers_module_instance(resource)
    }

    fn covers_module_instance(&self, resource: &AbsResourceAddr) -> bool {
        self.resource.resource == resource.resource
            && self.resource.module == resource.module.to_static()
            && self.module.contains(&resource.module)
    }

    /// Whether every instance of the resource is excluded, in every module instance.
    fn is_whole(&self) -> bool {
        self.key == InstanceKey::None && self.module.is_static()
    }
}

/// What `--target` and `--exclude` leave to a plan.
#[derive(Debug, Default)]
pub(crate) struct Targeting {
    /// The resources of the configuration the plan may change; `None` without either option.
    pub included: Option<BTreeSet<AbsResourceAddr>>,
    /// Instances of included resources that stay as they are.
    pub excluded: Vec<Exclusion>,
}

impl Targeting {
    /// Whether the plan leaves every instance of this resource in this module instance alone.
    pub(crate) fn keeps(&self, resource: &AbsResourceAddr) -> bool {
        self.included.as_ref().is_some_and(|included| !included.contains(&resource.to_static()))
            || self.excluded.iter().any(|e| e.covers(resource))
    }

    /// Whether the plan leaves this instance alone (`--target` naming other instances of its
    /// resource is [`instance_targeted`]'s).
    pub(crate) fn keeps_instance(&self, addr: &ResourceInstanceAddr) -> bool {
        self.included.as_ref().is_some_and(|included| !included.contains(&addr.resource.to_static()))
            || self.excluded.iter().any(|e| e.matches(addr))
    }
}

/// What `--target` and `--exclude` include (everything when neither is given).
pub(crate) fn targeting(config: &Config, state: &State, options: &PlanOptions) -> Targeting {
    if options.targets.is_empty()
        && options.excludes.is_empty()
        && options.target_modules.is_empty()
        && options.exclude_modules.is_empty()
    {
        return Targeting::default();
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
    let excluded = exclusions(options, &depends_on, &dependents);
    for exclusion in excluded.iter().filter(|e| e.is_whole()) {
        included.remove(&exclusion.resource);
    }
    let excluded = excluded.into_iter().filter(|e| !e.is_whole() && included.contains(&e.resource)).collect();
    Targeting { included: Some(included), excluded }
}

/// The `--exclude` addresses and, transitively, what depends on them (what they depend on when
/// destroying: an object that stays keeps what it needs), each in the module instance it shares
/// with the excluded one.
fn exclusions(
    options: &PlanOptions,
    depends_on: &BTreeMap<AbsResourceAddr, BTreeSet<AbsResourceAddr>>,
    dependents: &BTreeMap<&AbsResourceAddr, BTreeSet<&AbsResourceAddr>>,
) -> BTreeSet<Exclusion> {
    let mut stack: Vec<Exclusion> = options
        .excludes
        .iter()
        .map(|addr| Exclusion {
            resource: addr.resource.to_static(),
            module: addr.resource.module.clone(),
            key: addr.key.clone(),
        })
        .collect();
    // A module: every resource in it and in the modules it calls.
    for module in &options.exclude_modules {
        let static_module = module.to_static();
        stack.extend(depends_on.keys().filter(|addr| static_module.contains(&addr.module)).map(|addr| Exclusion {
            resource: addr.clone(),
            module: module.clone(),
            key: InstanceKey::None,
        }));
    }
    let mut seen: BTreeSet<Exclusion> = BTreeSet::new();
    while let Some(exclusion) = stack.pop() {
        if seen.contains(&exclusion) {
            continue;
        }
        let next: Vec<&AbsResourceAddr> = if options.mode == PlanMode::Destroy {
            depends_on.get(&exclusion.resource).into_iter().flatten().collect()
        } else {
            dependents.get(&exclusion.resource).into_iter().flatten().copied().collect()
        };
        for other in next {
            let module = shared_module_instance(&exclusion.module, &other.module);
            stack.push(Exclusion { resource: other.clone(), module, key: InstanceKey::None });
        }
        seen.insert(exclusion);
    }
    seen
}

/// The leading steps of the module instance path `instance` that lead to `module` too (a
/// module of the configuration): the module instance a dependency between the two passes
/// through. `module.web[1]` and `module.web.module.inner`: `module.web[1]`; `module.web[1]`
/// and the root or `module.db`: the root.
fn shared_module_instance(instance: &ModulePath, module: &ModulePath) -> ModulePath {
    let steps: Vec<&ModuleStep> =
        instance.steps().iter().zip(module.steps()).take_while(|(a, b)| a.name == b.name).map(|(a, _)| a).collect();
    steps.into_iter().fold(ModulePath::root(), |path, step| path.child_instance(&step.name, step.key.clone()))
}

/// Whether `--target` lets this instance change. Targets name resources whole
/// (`module.web.x.y`: every instance) or narrowed by keys, of module instances
/// (`module.web[1].x.y`) or of the resource (`x.y[1]`). An instance of a resource no target
/// names (one included as a dependency) always may.
pub(crate) fn instance_targeted(options: &PlanOptions, addr: &ResourceInstanceAddr) -> bool {
    // Asked for every instance of a plan: without targets, answer before copying anything.
    if options.targets.is_empty() && options.target_instances.is_empty() && options.target_modules.is_empty() {
        return true;
    }
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

    /// `--exclude` addresses over `testdata/engine/exclude/` and, for instances, whether the
    /// plan leaves them alone.
    #[test]
    fn excludes_leave_instances_and_their_dependents_alone() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/exclude");
        let mut files = strata_diagnostics::SourceFiles::new();
        let (config, diags) = strata_config::load(&dir, &mut files);
        assert!(!diags.has_errors(), "{diags:?}");
        let config = config.unwrap();
        let state = State::new();
        type ExcludeCase = (&'static [&'static str], &'static [(&'static str, bool)]);
        let cases: [ExcludeCase; 6] = [
            // One instance: the others change; g depends on f as a whole, so all of it stays.
            (
                &["strata_data.f[1]"],
                &[("strata_data.f[1]", true), ("strata_data.f[0]", false), ("strata_data.g[0]", true)],
            ),
            // A module instance: everything in it, nested modules too, and names (which reads
            // every instance of module.web); module.web[0] changes.
            (
                &["module.web[1]"],
                &[
                    ("module.web[1].strata_data.x", true),
                    ("module.web[1].module.inner.strata_data.z", true),
                    ("module.web[0].strata_data.y", false),
                    ("module.web[0].module.inner.strata_data.z", false),
                    ("strata_data.names", true),
                    ("strata_data.f[0]", false),
                ],
            ),
            // A resource in a module instance: its dependents in that instance, and names.
            (
                &["module.web[1].strata_data.x"],
                &[
                    ("module.web[1].strata_data.y", true),
                    ("module.web[1].module.inner.strata_data.z", true),
                    ("module.web[0].strata_data.x", false),
                    ("module.web[0].strata_data.y", false),
                    ("strata_data.names", true),
                ],
            ),
            // A module: every instance of it.
            (
                &["module.web"],
                &[
                    ("module.web[0].strata_data.x", true),
                    ("module.web[1].module.inner.strata_data.z", true),
                    ("strata_data.names", true),
                    ("strata_data.g[2]", false),
                ],
            ),
            // A nested module in one instance: only that, and names (a reference to a module
            // depends on everything in it, nested modules included).
            (
                &["module.web[0].module.inner"],
                &[
                    ("module.web[0].module.inner.strata_data.z", true),
                    ("module.web[1].module.inner.strata_data.z", false),
                    ("module.web[0].strata_data.y", false),
                    ("strata_data.names", true),
                    ("strata_data.f[0]", false),
                ],
            ),
            // A resource whole.
            (
                &["strata_data.f"],
                &[("strata_data.f[2]", true), ("strata_data.g[1]", true), ("strata_data.names", false)],
            ),
        ];
        for (excludes, expected) in cases {
            let mut options = PlanOptions::default();
            for text in excludes {
                match text.parse::<ResourceInstanceAddr>() {
                    Ok(addr) => options.excludes.push(addr),
                    Err(_) => options.exclude_modules.push(text.parse().unwrap()),
                }
            }
            let targeting = targeting(&config, &state, &options);
            for (addr, kept) in expected {
                let addr: ResourceInstanceAddr = addr.parse().unwrap();
                assert_eq!(targeting.keeps_instance(&addr), *kept, "--exclude {excludes:?}: {addr}");
            }
        }
    }

    /// Destroying with `--exclude`: what stays keeps what it depends on, and what depends on
    /// the excluded object is destroyed.
    #[test]
    fn destroy_excludes_keep_what_the_excluded_object_needs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/exclude");
        let mut files = strata_diagnostics::SourceFiles::new();
        let (config, diags) = strata_config::load(&dir, &mut files);
        assert!(!diags.has_errors(), "{diags:?}");
        let config = config.unwrap();
        let keeps = |excludes: &[&str], addr: &str| {
            let mut options = PlanOptions { mode: PlanMode::Destroy, ..PlanOptions::default() };
            for text in excludes {
                match text.parse::<ResourceInstanceAddr>() {
                    Ok(addr) => options.excludes.push(addr),
                    Err(_) => options.exclude_modules.push(text.parse().unwrap()),
                }
            }
            targeting(&config, &State::new(), &options).keeps_instance(&addr.parse().unwrap())
        };
        // g[1] stays: f, which it depends on (as a whole), stays; the other g go.
        assert!(keeps(&["strata_data.g[1]"], "strata_data.g[1]"));
        assert!(keeps(&["strata_data.g[1]"], "strata_data.f[0]"));
        assert!(!keeps(&["strata_data.g[1]"], "strata_data.g[0]"));
        // f stays: g, which depends on it, is destroyed.
        assert!(keeps(&["strata_data.f"], "strata_data.f[2]"));
        assert!(!keeps(&["strata_data.f"], "strata_data.g[2]"));
        // names stays: every module.web instance it reads stays.
        assert!(keeps(&["strata_data.names"], "module.web[1].strata_data.x"));
        assert!(keeps(&["strata_data.names"], "module.web[0].module.inner.strata_data.z"));
    }

    #[test]
    fn dependencies_pass_through_the_module_instance_both_sides_share() {
        let path = |text: &str| -> ModulePath { text.parse().unwrap() };
        assert_eq!(
            shared_module_instance(&path("module.web[1]"), &path("module.web.module.inner")),
            path("module.web[1]")
        );
        assert_eq!(
            shared_module_instance(&path("module.web[1].module.inner"), &path("module.web")),
            path("module.web[1]")
        );
        assert_eq!(shared_module_instance(&path("module.web[1]"), &path("module.db")), ModulePath::root());
        assert_eq!(shared_module_instance(&path("module.web[1]"), &ModulePath::root()), ModulePath::root());
    }
}
