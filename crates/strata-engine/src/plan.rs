//! Planning: configuration + prior state → the changes apply would make.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::toposort;
use rustc_hash::{FxHashMap, FxHashSet};
use strata_addrs::{AbsResourceAddr, InstanceKey, ModulePath, ProviderConfigAddr, ResourceInstanceAddr, ResourceMode};
use strata_config::{Config, GraphNode, Resource};
use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_plan::{Action, ActionReason, OutputChange, Plan, PlanMode, ReconcileKind, Reconciliation, ResourceChange};
use strata_provider::{FindRequest, PlanRequest};
use strata_schema::{BlockSchema, SchemaSource};
use strata_state::State;
use strata_value::{Type, Value};

use crate::checks::check_plan_valid;
use crate::events::Hook;
use crate::expand::{expand, instance_context};
use crate::providers::ProviderSet;
use crate::timeouts::{Limit, TimeoutKind};
use crate::values::{Values, resource_dependencies_from, resource_references};

#[derive(Clone, Debug)]
pub struct PlanOptions {
    pub mode: PlanMode,
    /// Read every object from its provider first (`--refresh=false` turns it off).
    pub refresh: bool,
    /// `--replace ADDR`
    pub replace: Vec<ResourceInstanceAddr>,
    /// `--target ADDR`: plan only these resources and what they depend on (what depends on
    /// them, when destroying).
    pub targets: Vec<AbsResourceAddr>,
    /// `--exclude ADDR` or `ADDR[KEY]`: leave these resources (or only the instance with that
    /// key; `InstanceKey::None`: all of them) and what depends on them alone.
    pub excludes: Vec<ResourceInstanceAddr>,
    /// `--target ADDR[KEY]`: instances named with their key, of resources not also targeted
    /// whole. Their resources are in `targets` too; of such a resource only the named
    /// instances change.
    pub target_instances: Vec<ResourceInstanceAddr>,
    /// `--target module.NAME` or `module.NAME[KEY]`: every resource in that module (in every
    /// instance of it, without a key), and what they depend on.
    pub target_modules: Vec<ModulePath>,
    /// `--exclude module.NAME` or `module.NAME[KEY]`: leave every resource in that module (in
    /// that instance of it, with a key) and what depends on them alone.
    pub exclude_modules: Vec<ModulePath>,
    /// Provider calls in flight at once while refreshing (`--parallelism`, default 10).
    pub parallelism: usize,
    /// False when the process exits right after planning: the planner's working memory (the
    /// value of every resource, the instances it visited, the refresh answers) is then left to
    /// the OS, which reclaims it at once, instead of freed value by value, which took 6 % of
    /// a no-op plan of 5,000 resources. Default true.
    pub free_working_memory: bool,
}

impl Default for PlanOptions {
    fn default() -> PlanOptions {
        PlanOptions {
            mode: PlanMode::Normal,
            refresh: true,
            replace: Vec::new(),
            targets: Vec::new(),
            excludes: Vec::new(),
            target_instances: Vec::new(),
            target_modules: Vec::new(),
            exclude_modules: Vec::new(),
            parallelism: 10,
            free_working_memory: true,
        }
    }
}

/// Makes a plan. `root_variables` are the resolved root variable values (all known).
pub async fn plan(
    config: &Config,
    schemas: &dyn SchemaSource,
    state: &State,
    root_variables: BTreeMap<String, Value>,
    providers: &ProviderSet,
    options: &PlanOptions,
    hook: &dyn Hook,
) -> (Option<Plan>, Diagnostics) {
    // `moved` blocks first: the rest of planning sees objects at their new addresses.
    let (moved_state, moved) =
        crate::moves::apply_moves(state, &config.root.module.moved, &config.root.module.moved_modules);
    let state = &moved_state;
    let mut planner = Planner {
        config,
        schemas,
        state,
        providers,
        options,
        hook,
        values: Values::new(config, root_variables),
        diags: Diagnostics::new(),
        changes: Vec::new(),
        drift: Vec::new(),
        visited: FxHashSet::default(),
        visited_modules: BTreeSet::new(),
        actions: BTreeMap::new(),
        priors: BTreeMap::new(),
        refreshed: FxHashMap::default(),
        targeting: crate::targeting::Targeting::default(),
    };
    planner.targeting = crate::targeting::targeting(config, state, options);
    let mut reconciled = planner.reconcile_intents().await;
    if options.mode == PlanMode::Normal {
        reconciled.extend(planner.imports().await);
    }
    if options.mode != PlanMode::Destroy {
        let jobs = crate::refresh::jobs(config, state, &planner.targeting, &planner.priors);
        planner.refreshed =
            crate::refresh::refresh_all(jobs, schemas, providers, options.refresh, options.parallelism, hook).await;
        planner.plan_configuration().await;
    }
    planner.plan_orphans_and_destroys();
    let outputs = planner.outputs();
    if options.mode == PlanMode::Normal {
        for check in &config.root.module.checks {
            let found = crate::conditions::evaluate(
                &mut planner.values,
                &strata_addrs::ModulePath::root(),
                &check.asserts,
                &BTreeMap::new(),
                crate::conditions::Rule::Check,
                None,
            );
            planner.diags.extend(found);
        }
    }
    let mut diags = std::mem::take(&mut planner.diags);
    let changes = std::mem::take(&mut planner.changes);
    let drift = std::mem::take(&mut planner.drift);
    if !options.free_working_memory {
        std::mem::forget(planner);
    }
    diags.sort_and_dedup();
    if diags.has_errors() {
        return (None, diags);
    }
    let mut changes = if options.mode == PlanMode::RefreshOnly { Vec::new() } else { changes };
    // Shown and stored in address order, as Terraform does; apply orders by dependencies.
    changes.sort_by(|a, b| a.addr.cmp(&b.addr).then(a.action.cmp(&b.action)));
    let mut drift = drift;
    drift.sort_by(|a, b| a.addr.cmp(&b.addr));
    let plan = Plan {
        mode: options.mode,
        prior_lineage: state.lineage.clone(),
        prior_serial: state.serial,
        changes,
        drift,
        outputs,
        reconciled,
        moved,
    };
    (Some(plan), diags)
}

/// An instance's prior object.
struct Prior {
    value: Value,
    /// Stored as tainted: replaced whatever the configuration says.
    tainted: bool,
}

struct Planner<'a> {
    config: &'a Config,
    schemas: &'a dyn SchemaSource,
    state: &'a State,
    providers: &'a ProviderSet,
    options: &'a PlanOptions,
    hook: &'a dyn Hook,
    values: Values<'a>,
    diags: Diagnostics,
    changes: Vec<ResourceChange>,
    drift: Vec<ResourceChange>,
    /// Instances the configuration still has. Hashed: one insert per instance and one lookup
    /// per stored instance, never walked in order.
    visited: FxHashSet<ResourceInstanceAddr>,
    /// Module instances the configuration still has.
    visited_modules: BTreeSet<ModulePath>,
    /// Planned action per resource that changes, for `replace_triggered_by`.
    actions: BTreeMap<AbsResourceAddr, Action>,
    /// Objects adopted by reconciliation of interrupted creates and by `import` blocks.
    priors: BTreeMap<ResourceInstanceAddr, Value>,
    /// Refresh answers gathered concurrently before the walk (`refresh.rs`).
    refreshed: FxHashMap<&'a ResourceInstanceAddr, crate::refresh::Refreshed>,
    /// With `--target`/`--exclude`: the resources and instances this plan may change.
    targeting: crate::targeting::Targeting,
}

impl Planner<'_> {
    /// Creates interrupted by a crash: ask the provider whether the object exists.
    async fn reconcile_intents(&mut self) -> Vec<Reconciliation> {
        let mut out = Vec::new();
        for (addr, intent) in &self.state.intents {
            if self.state.resources.contains_key(addr) {
                // The create finished and was recorded; only the intent record is left.
                out.push(Reconciliation {
                    addr: addr.clone(),
                    provider: intent.provider.clone(),
                    found: None,
                    kind: ReconcileKind::InterruptedCreate,
                });
                continue;
            }
            let Some(provider) = self.providers.get(&intent.provider) else {
                self.diags.push(missing_provider(&intent.provider, addr));
                continue;
            };
            let request = FindRequest {
                type_name: addr.resource.resource.type_name.clone(),
                idempotency_token: intent.token.clone(),
                planned: intent.planned_value(),
            };
            let timeouts = crate::timeouts::of(self.config, addr);
            let limit = Limit::start(&timeouts, TimeoutKind::Read, &intent.provider, addr);
            let answer = match limit.run(provider.find_by_token(request)).await {
                Ok(answer) => answer,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            match answer {
                Ok(found) => {
                    if let Some(object) = &found {
                        self.priors.insert(addr.clone(), object.clone());
                    }
                    out.push(Reconciliation {
                        addr: addr.clone(),
                        provider: intent.provider.clone(),
                        found,
                        kind: ReconcileKind::InterruptedCreate,
                    });
                }
                Err(e) => self.diags.push(provider_error("Failed to reconcile an interrupted create", addr, &e)),
            }
        }
        out
    }

    /// `import` blocks whose target is not in state yet: the provider reads the object, which
    /// becomes the prior object of its resource (and is recorded on apply).
    async fn imports(&mut self) -> Vec<Reconciliation> {
        let mut out = Vec::new();
        for import in &self.config.root.module.imports {
            if self.state.resources.contains_key(&import.to) || self.priors.contains_key(&import.to) {
                continue;
            }
            // The target may be in a module instance: the module, that instance of it and the
            // resource instance must all be in the configuration (evaluated afresh, so nothing
            // planned later is memoized from before the walk).
            let mut values = Values::new(self.config, self.values.root_variables.clone());
            let resource = match crate::instances::check(&mut values, &import.to) {
                Ok(resource) => resource,
                Err(d) => {
                    self.diags.push(d.with_subject(import.span));
                    continue;
                }
            };
            // Through the module calls' `providers` maps, as for every other instance.
            let provider_addr = self.config.resource_provider(&import.to.resource.module, resource);
            let Some(provider) = self.providers.get(&provider_addr).cloned() else {
                self.diags.push(missing_provider(&provider_addr, &import.to));
                continue;
            };
            let id = match self
                .values
                .context(&ModulePath::root(), &import.id, &BTreeMap::new())
                .and_then(|c| c.eval(&import.id.expr))
            {
                Ok(v) if v.as_str().is_some() => v.as_str().unwrap_or_default().to_owned(),
                Ok(_) => {
                    self.diags.push(
                        Diagnostic::error("Invalid import id", "The import id must be a known string.")
                            .with_subject(import.id.span()),
                    );
                    continue;
                }
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            let limit = Limit::start(&resource.timeouts, TimeoutKind::Read, &provider_addr, &import.to);
            let answer = match limit.run(provider.import(&import.to.resource.resource.type_name, &id)).await {
                Ok(answer) => answer,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            match answer {
                Ok(Some(found)) => {
                    self.priors.insert(import.to.clone(), found.clone());
                    out.push(Reconciliation {
                        addr: import.to.clone(),
                        provider: provider_addr,
                        found: Some(found),
                        kind: ReconcileKind::Import,
                    });
                }
                Ok(None) => self.diags.push(
                    Diagnostic::error(
                        "Cannot import non-existent object",
                        format!("The provider found no object with id \"{id}\" for {}.", import.to),
                    )
                    .with_subject(import.span),
                ),
                Err(e) => self.diags.push(provider_error("Failed to import", &import.to, &e)),
            }
        }
        out
    }

    /// Every resource of every module, dependencies first.
    fn resource_order(&self) -> Vec<AbsResourceAddr> {
        let graph = strata_config::dependency_graph(self.config);
        let order = match toposort(&graph.graph, None) {
            Ok(order) => order,
            Err(_) => return Vec::new(), // validation reports the cycle
        };
        order
            .into_iter()
            .rev()
            .filter_map(|i| match &graph.graph[i] {
                GraphNode::Resource(addr) => Some(addr.clone()),
                _ => None,
            })
            .collect()
    }

    async fn plan_configuration(&mut self) {
        for abs in self.resource_order() {
            let Some(node) = self.config.module(&abs.module) else { continue };
            let Some(resource) = node.module.resources.get(&abs.resource) else { continue };
            // One resource per instance of its module (and of the modules calling it).
            let modules = match self.values.module_instances(&abs.module) {
                Ok(modules) => modules,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            for module in modules {
                self.visited_modules.insert(module.clone());
                let instance = AbsResourceAddr { module, resource: abs.resource.clone() };
                if !self.targeting.keeps(&instance) {
                    self.plan_resource(&instance, resource).await;
                } else {
                    self.keep_as_is(&instance);
                }
            }
        }
    }

    /// A resource outside `--target`/`--exclude`: its state stays, and expressions that refer
    /// to it see the stored values.
    fn keep_as_is(&mut self, abs: &AbsResourceAddr) {
        let mut instances: Vec<(InstanceKey, Value)> = Vec::new();
        for (addr, instance) in
            self.state.resources.range(ResourceInstanceAddr { resource: abs.clone(), key: InstanceKey::None }..)
        {
            if &addr.resource != abs {
                break;
            }
            self.visited.insert(addr.clone());
            instances
                .push((addr.key.clone(), strata_state::decode_value(&instance.attributes, &instance.sensitive_paths)));
        }
        let value = match instances.first().map(|(k, _)| k) {
            Some(InstanceKey::Int(_)) => Value::List(instances.into_iter().map(|(_, v)| v).collect()),
            Some(InstanceKey::String(_)) => {
                Value::Map(instances.into_iter().map(|(k, v)| (key_string(&k), v)).collect())
            }
            Some(InstanceKey::None) => instances.into_iter().next().map_or(Value::Null, |(_, v)| v),
            None => Value::Unknown(Type::Any),
        };
        self.values.set_resource(&abs.module, &abs.resource, value);
    }

    async fn plan_resource(&mut self, abs: &AbsResourceAddr, resource: &Resource) {
        let module = abs.module.clone();
        let references = resource_references(resource);
        // Until this resource is planned, what refers to it sees an unknown value, so one
        // problem here is reported once rather than again at every reference.
        self.values.set_resource(&module, &abs.resource, Value::Unknown(Type::Any));
        let Some(keys) = expand(&mut self.values, &module, resource, &mut self.diags) else { return };
        let schema = match abs.resource.mode {
            ResourceMode::Managed => self.schemas.resource(&abs.resource.type_name),
            ResourceMode::Data => self.schemas.data_source(&abs.resource.type_name),
        };
        let Some(schema) = schema else {
            self.diags.push(
                Diagnostic::error(
                    "Invalid resource type",
                    format!("No provider offers \"{}\".", abs.resource.type_name),
                )
                .with_subject(resource.type_span),
            );
            return;
        };
        let provider_addr = self.config.resource_provider(&module, resource);
        let Some(provider) = self.providers.get(&provider_addr).cloned() else {
            self.diags.push(missing_provider(
                &provider_addr,
                &ResourceInstanceAddr { resource: abs.clone(), key: InstanceKey::None },
            ));
            return;
        };
        let static_addr = abs.to_static();
        let dependencies: Vec<AbsResourceAddr> =
            resource_dependencies_from(self.config, &module, resource, &references)
                .into_iter()
                .filter(|d| *d != static_addr)
                .collect();
        let mut instance_values: Vec<(InstanceKey, Value)> = Vec::new();
        let mut resource_action = Action::NoOp;

        let expected = keys.len();
        // The scope is the same for every instance (only `count`/`each` differ, and they are
        // in each instance's `extra`): build it once, not once per instance.
        let mut base_context: Option<strata_eval::EvalContext> = None;
        for (key, repeat) in keys {
            let addr = ResourceInstanceAddr { resource: abs.clone(), key: key.clone() };
            self.visited.insert(addr.clone());
            if !self.instance_targeted(&addr) {
                // Another instance of a resource targeted by instance, or an excluded one: it
                // stays as it is.
                if let Some(instance) = self.state.resources.get(&addr) {
                    let stored = strata_state::decode_value(&instance.attributes, &instance.sensitive_paths);
                    instance_values.push((key, stored));
                }
                continue;
            }
            let extra = repeat.names(&key);
            let preconditions = crate::conditions::evaluate(
                &mut self.values,
                &module,
                &resource.lifecycle.preconditions,
                &extra,
                crate::conditions::Rule::Precondition,
                Some(&addr),
            );
            if !preconditions.is_empty() {
                self.diags.extend(preconditions);
                continue;
            }
            let context = match &base_context {
                Some(base) => strata_eval::EvalContext { extra, ..base.clone() },
                None => match instance_context(&mut self.values, &module, resource, &references, BTreeMap::new()) {
                    Ok(base) => {
                        let context = strata_eval::EvalContext { extra, ..base.clone() };
                        base_context = Some(base);
                        context
                    }
                    Err(d) => {
                        self.diags.push(d);
                        continue;
                    }
                },
            };
            let mut body_diags = Diagnostics::new();
            let config_value = strata_config::evaluate_body(
                &resource.body.body,
                &schema.block,
                &context,
                resource.decl_span,
                &mut body_diags,
            );
            let failed = body_diags.has_errors();
            self.diags.extend(body_diags);
            if failed {
                continue;
            }

            if abs.resource.mode == ResourceMode::Data {
                let value = if config_value.is_wholly_known() {
                    let limit = Limit::start(&resource.timeouts, TimeoutKind::Read, &provider_addr, &addr);
                    match limit.run(provider.read_data(&abs.resource.type_name, config_value.clone())).await {
                        Ok(Ok(v)) => v,
                        Ok(Err(e)) => {
                            self.diags.push(provider_error("Failed to read data source", &addr, &e));
                            continue;
                        }
                        Err(d) => {
                            self.diags.push(d);
                            continue;
                        }
                    }
                } else {
                    self.changes.push(change(
                        &addr,
                        &provider_addr,
                        Action::Read,
                        None,
                        Some(config_value.clone()),
                        &dependencies,
                        false,
                    ));
                    Value::Unknown(schema.block.value_type())
                };
                instance_values.push((key, value));
                continue;
            }

            let prior = self.prior(&addr, resource, &provider_addr).await;
            let tainted = prior.as_ref().is_some_and(|p| p.tainted);
            let prior = prior.map(|p| p.value);
            let (action, after, replace_paths, reason) = match self
                .decide(
                    &addr,
                    tainted,
                    resource,
                    &schema.block,
                    &module,
                    &provider_addr,
                    &provider,
                    prior.as_ref(),
                    config_value,
                )
                .await
            {
                Some(decision) => decision,
                None => continue,
            };
            if action != Action::NoOp {
                resource_action = Action::Update;
            }
            let visible = match action {
                Action::NoOp => prior.clone().unwrap_or(Value::Null),
                _ => after.clone().unwrap_or(Value::Null),
            };
            instance_values.push((key, visible));
            let cbd = self.create_before_destroy(resource, &module);
            let mut change = change(&addr, &provider_addr, action, prior, after, &dependencies, cbd);
            change.replace_paths = replace_paths;
            change.reason = reason;
            self.changes.push(change);
        }
        // Only changes are kept: a resource that is not here plans no change.
        if resource_action != Action::NoOp {
            self.actions.insert(abs.clone(), resource_action);
        }
        // An instance that failed to plan is unknown to what refers to it, so one error does
        // not cascade into a confusing error per reference.
        let value = if instance_values.len() < expected {
            Value::Unknown(Type::Any)
        } else if resource.count.is_some() {
            Value::List(instance_values.into_iter().map(|(_, v)| v).collect())
        } else if resource.for_each.is_some() {
            Value::Map(instance_values.into_iter().map(|(k, v)| (key_string(&k), v)).collect())
        } else {
            instance_values.into_iter().next().map_or(Value::Null, |(_, v)| v)
        };
        self.values.set_resource(&module, &abs.resource, value);
    }

    /// The prior object, refreshed from the provider unless `--refresh=false`.
    async fn prior(
        &mut self,
        addr: &ResourceInstanceAddr,
        resource: &Resource,
        provider_addr: &ProviderConfigAddr,
    ) -> Option<Prior> {
        if let Some(adopted) = self.priors.get(addr) {
            return Some(Prior { value: adopted.clone(), tainted: false });
        }
        // Normally refreshed ahead, concurrently; an object the prefetch did not cover is
        // refreshed here.
        let refreshed = match self.refreshed.remove(addr) {
            Some(refreshed) => refreshed,
            None => {
                let instance = self.state.resources.get(addr)?;
                let job = crate::refresh::Job { addr, instance, resource, provider_addr: provider_addr.clone() };
                crate::refresh::refresh_one(&job, self.schemas, self.providers, self.options.refresh, self.hook).await
            }
        };
        let tainted = refreshed.tainted;
        let stored = refreshed.stored;
        if let Some(problem) = refreshed.problem {
            self.diags.push(problem);
            return Some(Prior { value: stored, tainted });
        }
        let Some(answer) = refreshed.answer else { return Some(Prior { value: stored, tainted }) };
        let value = match answer {
            Ok(current) => {
                if !current.as_ref().is_some_and(|current| same_object(current, &stored)) {
                    let action = if current.is_some() { Action::Update } else { Action::Delete };
                    self.drift.push(change(addr, provider_addr, action, Some(stored), current.clone(), &[], false));
                }
                current
            }
            Err(d) => {
                self.diags.push(d);
                Some(stored)
            }
        };
        value.map(|value| Prior { value, tainted })
    }

    #[allow(clippy::too_many_arguments)]
    async fn decide(
        &mut self,
        addr: &ResourceInstanceAddr,
        tainted: bool,
        resource: &Resource,
        schema: &BlockSchema,
        module: &ModulePath,
        provider_addr: &ProviderConfigAddr,
        provider: &std::sync::Arc<dyn strata_provider::Provider>,
        prior: Option<&Value>,
        mut config_value: Value,
    ) -> Option<(Action, Option<Value>, Vec<String>, Option<ActionReason>)> {
        let type_name = addr.resource.resource.type_name.clone();
        if let (Some(prior), Value::Map(config)) = (prior, &mut config_value) {
            for (name, _) in &resource.lifecycle.ignore_changes {
                if let Some(old) = prior.as_mapping().and_then(|m| m.get(name)) {
                    config.insert(name.clone(), old.clone());
                }
            }
            if resource.lifecycle.ignore_all
                && let Some(old) = prior.as_mapping()
            {
                for (name, value) in old {
                    config.insert(name.clone(), value.clone());
                }
            }
        }
        let request = PlanRequest { type_name: type_name.clone(), prior: prior.cloned(), config: config_value.clone() };
        let response = match provider.plan(request).await {
            Ok(r) => r,
            Err(e) => {
                self.diags.push(provider_error_at("Provider failed to plan", addr, &e, resource));
                return None;
            }
        };
        if let Err(d) = check_plan_valid(schema, &config_value, &response.planned, provider_addr, addr) {
            self.diags.push(d.with_subject(resource.decl_span));
            return None;
        }
        let Some(prior) = prior else {
            return Some((Action::Create, Some(response.planned), Vec::new(), None));
        };
        let mut reason = if tainted {
            Some(ActionReason::Tainted)
        } else if self.options.replace.contains(addr) {
            Some(ActionReason::ReplaceRequested)
        } else if !response.requires_replace.is_empty() {
            Some(ActionReason::ReplaceBecauseCannotUpdate(response.requires_replace.clone()))
        } else {
            None
        };
        if reason.is_none() {
            for trigger in &resource.lifecycle.replace_triggered_by {
                for reference in trigger.references() {
                    let Some(name) = reference.step(0) else { continue };
                    let target = AbsResourceAddr {
                        module: module.clone(),
                        resource: strata_addrs::ResourceAddr::managed(&reference.root, name),
                    };
                    if self.actions.get(&target).is_some_and(|a| *a != Action::NoOp) {
                        reason = Some(ActionReason::ReplaceTriggeredBy(target.to_string()));
                    }
                }
            }
        }
        if let Some(reason) = reason {
            if self.prevent_destroy(resource, module, addr) {
                return None;
            }
            // A replacement plans the new object as a create.
            let request = PlanRequest { type_name, prior: None, config: config_value.clone() };
            let planned = match provider.plan(request).await {
                Ok(r) => r.planned,
                Err(e) => {
                    self.diags.push(provider_error_at("Provider failed to plan", addr, &e, resource));
                    return None;
                }
            };
            if let Err(d) = check_plan_valid(schema, &config_value, &planned, provider_addr, addr) {
                self.diags.push(d.with_subject(resource.decl_span));
                return None;
            }
            let action = if self.create_before_destroy(resource, module) {
                Action::CreateThenDelete
            } else {
                Action::DeleteThenCreate
            };
            return Some((action, Some(planned), response.requires_replace, Some(reason)));
        }
        if &response.planned == prior {
            return Some((Action::NoOp, Some(response.planned), Vec::new(), None));
        }
        Some((Action::Update, Some(response.planned), Vec::new(), None))
    }

    fn create_before_destroy(&mut self, resource: &Resource, module: &ModulePath) -> bool {
        self.lifecycle_flag(resource.lifecycle.create_before_destroy.as_ref(), module)
    }

    /// Reports and returns true when `prevent_destroy` forbids destroying this instance.
    fn prevent_destroy(&mut self, resource: &Resource, module: &ModulePath, addr: &ResourceInstanceAddr) -> bool {
        let forbidden = self.lifecycle_flag(resource.lifecycle.prevent_destroy.as_ref(), module);
        if forbidden {
            self.diags.push(
                Diagnostic::error(
                    "Instance cannot be destroyed",
                    format!("{addr} has lifecycle.prevent_destroy set, but the plan calls for it to be destroyed. To go ahead, set prevent_destroy to false (it may come from a variable) or change the plan."),
                )
                .with_subject(resource.lifecycle.prevent_destroy.as_ref().and_then(|e| e.span())),
            );
        }
        forbidden
    }

    fn lifecycle_flag(&mut self, expr: Option<&strata_config::Expr>, module: &ModulePath) -> bool {
        let Some(expr) = expr else { return false };
        let value = self.values.context(module, expr, &BTreeMap::new()).and_then(|c| c.eval(&expr.expr));
        match value {
            Ok(v) => v.as_bool().unwrap_or(false),
            Err(d) => {
                self.diags.push(d);
                false
            }
        }
    }

    /// Instances in state the configuration no longer has (or everything, in destroy mode).
    /// Whether `--target` lets this instance change: always, unless its resource was targeted
    /// only through other instances.
    fn instance_targeted(&self, addr: &ResourceInstanceAddr) -> bool {
        crate::targeting::instance_targeted(self.options, addr) && !self.targeting.keeps_instance(addr)
    }

    fn plan_orphans_and_destroys(&mut self) {
        let destroy = self.options.mode == PlanMode::Destroy;
        let mut deletes = Vec::new();
        for (addr, instance) in &self.state.resources {
            if !destroy && self.visited.contains(addr) {
                continue;
            }
            if !self.instance_targeted(addr) {
                continue;
            }
            if addr.resource.resource.mode == ResourceMode::Data {
                continue;
            }
            let in_config =
                self.config.module(&addr.resource.module).and_then(|n| n.module.resources.get(&addr.resource.resource));
            if destroy && let Some(resource) = in_config {
                let resource = resource.clone();
                if self.prevent_destroy(&resource, &addr.resource.module.clone(), addr) {
                    continue;
                }
            }
            let reason = if destroy {
                ActionReason::DestroyMode
            } else if in_config.is_some() && self.visited_modules.contains(&addr.resource.module) {
                ActionReason::NoInstanceKey
            } else if in_config.is_some() {
                ActionReason::NoModuleInstance
            } else {
                ActionReason::NoResourceConfig
            };
            let before = self
                .priors
                .get(addr)
                .cloned()
                .unwrap_or_else(|| strata_state::decode_value(&instance.attributes, &instance.sensitive_paths));
            let mut change =
                change(addr, &instance.provider, Action::Delete, Some(before), None, &instance.dependencies, false);
            change.reason = Some(reason);
            deletes.push(change);
        }
        // Objects create_before_destroy replacements moved aside and could not destroy: always
        // destroyed (they are not in the configuration's hands any more).
        for (addr, instance) in &self.state.deposed {
            if self.targeting.keeps_instance(addr) {
                continue;
            }
            let before = strata_state::decode_value(&instance.attributes, &instance.sensitive_paths);
            let mut change =
                change(addr, &instance.provider, Action::Delete, Some(before), None, &instance.dependencies, false);
            change.reason = Some(ActionReason::Deposed);
            deletes.push(change);
        }
        // Adopted objects of interrupted creates that the configuration no longer wants.
        for (addr, adopted) in &self.priors {
            if self.state.resources.contains_key(addr) || (!destroy && self.visited.contains(addr)) {
                continue;
            }
            if let Some(intent) = self.state.intents.get(addr) {
                let mut change =
                    change(addr, &intent.provider, Action::Delete, Some(adopted.clone()), None, &[], false);
                change.reason = Some(ActionReason::InterruptedCreate);
                deletes.push(change);
            }
        }
        self.changes.extend(deletes);
    }

    fn outputs(&mut self) -> Vec<OutputChange> {
        let mut out = Vec::new();
        let names: Vec<String> = self.config.root.module.outputs.keys().cloned().collect();
        let destroy = self.options.mode == PlanMode::Destroy;
        for name in names {
            let sensitive = self.config.root.module.outputs[&name].sensitive;
            let before =
                self.state.outputs.get(&name).map(|o| strata_value::from_json(&o.value).with_sensitive(o.sensitive));
            let after = if destroy {
                None
            } else {
                match self.values.output(&ModulePath::root(), &name, 0) {
                    Ok(v) => Some(v),
                    Err(d) => {
                        self.diags.push(d);
                        continue;
                    }
                }
            };
            let action = match (&before, &after) {
                (None, Some(_)) => Action::Create,
                (Some(_), None) => Action::Delete,
                (Some(b), Some(a)) if b == a => Action::NoOp,
                (None, None) => Action::NoOp,
                _ => Action::Update,
            };
            out.push(OutputChange { name, action, before, after, sensitive });
        }
        if !destroy {
            for (name, old) in &self.state.outputs {
                if !self.config.root.module.outputs.contains_key(name) {
                    out.push(OutputChange {
                        name: name.clone(),
                        action: Action::Delete,
                        before: Some(strata_value::from_json(&old.value).with_sensitive(old.sensitive)),
                        after: None,
                        sensitive: old.sensitive,
                    });
                }
            }
        }
        out
    }
}

fn change(
    addr: &ResourceInstanceAddr,
    provider: &ProviderConfigAddr,
    action: Action,
    before: Option<Value>,
    after: Option<Value>,
    dependencies: &[AbsResourceAddr],
    create_before_destroy: bool,
) -> ResourceChange {
    ResourceChange {
        addr: addr.clone(),
        provider: provider.clone(),
        action,
        before,
        after,
        replace_paths: Vec::new(),
        reason: None,
        dependencies: dependencies.to_vec(),
        create_before_destroy,
    }
}

pub(crate) fn key_string(key: &InstanceKey) -> String {
    match key {
        InstanceKey::None => String::new(),
        InstanceKey::Int(i) => i.to_string(),
        InstanceKey::String(s) => s.clone(),
    }
}

pub(crate) fn missing_provider(provider: &ProviderConfigAddr, addr: &ResourceInstanceAddr) -> Diagnostic {
    Diagnostic::error(
        "Provider not available",
        format!("{addr} needs {provider}, but no such provider is installed or configured."),
    )
    .with_hint("this build has the built-in provider `strata` (strata_data, strata_file); the local, emr and alicloud providers are not implemented yet")
}

/// Whether a refreshed object is the stored one, an attribute absent on one side being equal
/// to null on the other: a provider whose schema gained a computed attribute reads it back as
/// null from a state written before, which is no change outside Strata.
fn same_object(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            let null = Value::Null;
            x.iter().all(|(k, v)| same_object(v, y.get(k).unwrap_or(&null)))
                && y.iter().all(|(k, v)| x.contains_key(k) || v.is_null())
        }
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_object(v, w)),
        _ => a == b,
    }
}

/// [`provider_error`] pointing at where the configuration writes the attribute the provider
/// names (or at the resource's header), so a provider's validation reads like the engine's.
pub(crate) fn provider_error_at(
    summary: &str,
    addr: &ResourceInstanceAddr,
    error: &strata_provider::ProviderError,
    resource: &Resource,
) -> Diagnostic {
    let span = error.attribute.as_deref().and_then(|path| resource.body.span_of_path(path));
    provider_error(summary, addr, error).with_subject(span.or(resource.decl_span))
}

pub(crate) fn provider_error(
    summary: &str,
    addr: &ResourceInstanceAddr,
    error: &strata_provider::ProviderError,
) -> Diagnostic {
    let attribute = error.attribute.as_ref().map(|a| format!(" (attribute \"{a}\")")).unwrap_or_default();
    Diagnostic::error(summary, format!("{addr}{attribute}: {}", error.message))
}

#[cfg(test)]
mod tests {
    use strata_value::Value;

    use super::same_object;

    fn object(entries: &[(&str, Value)]) -> Value {
        Value::map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())))
    }

    #[test]
    fn an_attribute_absent_on_one_side_equals_null() {
        let stored = object(&[("id", Value::from("j1")), ("nested", object(&[("a", Value::from(1))]))]);
        let read = object(&[
            ("id", Value::from("j1")),
            ("started_at", Value::Null),
            ("nested", object(&[("a", Value::from(1)), ("b", Value::Null)])),
        ]);
        assert!(same_object(&read, &stored));
        assert!(same_object(&stored, &read));
        let changed = object(&[("id", Value::from("j1")), ("started_at", Value::from("now"))]);
        assert!(!same_object(&changed, &stored));
        assert!(!same_object(&object(&[]), &object(&[("id", Value::from("x"))])));
    }
}
