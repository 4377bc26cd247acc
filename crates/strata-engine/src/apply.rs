//! Applying a plan: walk the changes as a graph, with bounded concurrency, persisting state
//! after every completed change.
//!
//! Order: a create or update waits for the creates and updates of what it depends on; a
//! delete waits for the deletes of what depends on it (reverse order); a replacement is a
//! delete then a create, or with `create_before_destroy` a create then a delete. A failed
//! node skips everything that depends on it and lets independent branches finish.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use strata_addrs::{AbsResourceAddr, InstanceKey, ModulePath, ResourceInstanceAddr, ResourceMode};
use strata_config::Config;
use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_plan::{Action, ActionReason, Plan, PlanMode, ResourceChange};
use strata_provider::{ApplyRequest, PlanRequest, Progress, ProgressSink};
use strata_schema::SchemaSource;
use strata_state::{InstanceState, InstanceStatus, Intent, Operation, OutputState, State, StateBackend};
use strata_value::Value;
use tokio::sync::{mpsc, watch};

use crate::checks::{Consistency, check_consistent, check_plan_valid};
use crate::events::{Event, Hook};
use crate::expand::instance_context;
use crate::plan::{key_string, missing_provider, provider_error};
use crate::providers::ProviderSet;
use crate::timeouts::{Limit, TimeoutKind};
use crate::values::{Values, resource_references};

/// How to stop: 0 = run, 1 = start nothing new (first Ctrl-C), 2 = abandon in-flight work
/// (second Ctrl-C).
pub type StopSignal = watch::Receiver<u8>;

pub struct ApplyOptions {
    pub parallelism: usize,
    pub stop: StopSignal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Create,
    Update,
    Delete,
    Read,
}

impl Step {
    /// What this node does, for progress events (a replacement shows its create and its
    /// delete separately).
    fn action(self) -> Action {
        match self {
            Step::Create => Action::Create,
            Step::Update => Action::Update,
            Step::Delete => Action::Delete,
            Step::Read => Action::Read,
        }
    }
}

struct Node {
    change: usize,
    step: Step,
    deps: Vec<usize>,
}

/// Applies `plan`. State changes go through `store` (durable before the next dependent
/// starts) and into `state`. Returns every problem met.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    config: &Config,
    schemas: &dyn SchemaSource,
    plan: &Plan,
    root_variables: BTreeMap<String, Value>,
    providers: &ProviderSet,
    store: &dyn StateBackend,
    state: &State,
    options: ApplyOptions,
    hook: &dyn Hook,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let initial = initial_values(config, plan, state, root_variables);
    let (progress, progress_rx) = mpsc::unbounded_channel();
    let shared = Shared {
        progress,
        config,
        schemas,
        providers,
        store,
        hook,
        state,
        values: Mutex::new(initial),
        expansions: Mutex::new(BTreeMap::new()),
    };

    if let Err(d) = shared.reconcile(plan).await {
        diags.push(d);
    }
    if plan.mode == PlanMode::RefreshOnly {
        for drift in &plan.drift {
            if let Err(d) = shared.record_refreshed(drift).await {
                diags.push(d);
            }
        }
    } else if !diags.has_errors() {
        let nodes = build_nodes(plan);
        walk(&shared, plan, &nodes, options, progress_rx, &mut diags).await;
    }
    if let Err(d) = shared.record_outputs(plan).await {
        diags.push(d);
    }
    if let Err(e) = store.compact().await {
        diags.push(Diagnostic::error("Failed to write state", e.to_string()));
    }
    diags
}

fn build_nodes(plan: &Plan) -> Vec<Node> {
    let mut nodes = Vec::new();
    // Per change: (create/update/read node, delete node).
    let mut slots: Vec<(Option<usize>, Option<usize>)> = Vec::with_capacity(plan.changes.len());
    for (i, change) in plan.changes.iter().enumerate() {
        let mut push = |step| {
            nodes.push(Node { change: i, step, deps: Vec::new() });
            Some(nodes.len() - 1)
        };
        slots.push(match change.action {
            Action::NoOp => (None, None),
            Action::Create => (push(Step::Create), None),
            Action::Update => (push(Step::Update), None),
            Action::Read => (push(Step::Read), None),
            Action::Delete => (None, push(Step::Delete)),
            Action::DeleteThenCreate | Action::CreateThenDelete => {
                let create = push(Step::Create);
                let delete = push(Step::Delete);
                (create, delete)
            }
        });
    }
    // Index the forward nodes of each resource, and which changes depend on which resource.
    // Dependencies name resources of the configuration: every instance of a repeated module
    // counts as that resource.
    let mut forward_by_resource: BTreeMap<AbsResourceAddr, Vec<usize>> = BTreeMap::new();
    for (i, change) in plan.changes.iter().enumerate() {
        if let Some(n) = slots[i].0 {
            forward_by_resource.entry(change.addr.resource.to_static()).or_default().push(n);
        }
    }
    // Which changes depend on each resource (for the reverse order of deletes).
    let mut dependents_of: BTreeMap<&AbsResourceAddr, Vec<usize>> = BTreeMap::new();
    for (j, change) in plan.changes.iter().enumerate() {
        for dependency in &change.dependencies {
            dependents_of.entry(dependency).or_default().push(j);
        }
    }
    for (i, change) in plan.changes.iter().enumerate() {
        let (forward, delete) = slots[i];
        if let Some(f) = forward {
            for dependency in &change.dependencies {
                for &d in forward_by_resource.get(dependency).into_iter().flatten() {
                    nodes[f].deps.push(d);
                }
            }
        }
        if let Some(d) = delete {
            // What depends on me is deleted first.
            for &j in dependents_of.get(&change.addr.resource.to_static()).into_iter().flatten() {
                if let Some(od) = slots[j].1.filter(|_| j != i) {
                    nodes[d].deps.push(od);
                }
            }
            match (change.action, forward) {
                (Action::DeleteThenCreate, Some(f)) => nodes[f].deps.push(d),
                (Action::CreateThenDelete, Some(f)) => nodes[d].deps.push(f),
                _ => {}
            }
        }
    }
    nodes
}

/// The names (`count`, `each`) each instance of one resource sees.
type Expansion = BTreeMap<InstanceKey, crate::expand::Repeat>;

struct Shared<'a> {
    config: &'a Config,
    schemas: &'a dyn SchemaSource,
    providers: &'a ProviderSet,
    store: &'a dyn StateBackend,
    hook: &'a dyn Hook,
    /// Progress reports from providers, forwarded to the hook by the walk (the hook is
    /// borrowed, so a provider's 'static sink cannot call it directly).
    progress: mpsc::UnboundedSender<(ResourceInstanceAddr, Progress)>,
    /// The state as it was when apply started (the backend holds the current one): what
    /// moves, refresh-only applies and destroyed outputs need to look up.
    state: &'a State,
    values: Mutex<Values<'a>>,
    /// `count`/`for_each` names per instance, computed once per resource.
    expansions: Mutex<BTreeMap<AbsResourceAddr, Expansion>>,
}

async fn walk(
    shared: &Shared<'_>,
    plan: &Plan,
    nodes: &[Node],
    mut options: ApplyOptions,
    mut progress: mpsc::UnboundedReceiver<(ResourceInstanceAddr, Progress)>,
    diags: &mut Diagnostics,
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Status {
        Waiting,
        Running,
        Done,
        Failed,
        Skipped,
    }
    let total = nodes.len();
    let mut status = vec![Status::Waiting; total];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); total];
    for (i, node) in nodes.iter().enumerate() {
        for &d in &node.deps {
            dependents[d].push(i);
        }
    }
    // Ready nodes in a queue, fed by counting each node's unfinished dependencies: starting
    // work costs O(1) per node instead of a scan of every node after each completion.
    let mut waiting_on: Vec<usize> = nodes.iter().map(|n| n.deps.len()).collect();
    let mut ready: std::collections::VecDeque<usize> = (0..total).filter(|&i| waiting_on[i] == 0).collect();
    let mut running = FuturesUnordered::new();
    let mut finished = 0;
    let parallelism = options.parallelism.max(1);
    loop {
        let stop = *options.stop.borrow();
        if stop == 0 {
            while running.len() < parallelism {
                let Some(i) = ready.pop_front() else { break };
                if status[i] == Status::Waiting {
                    status[i] = Status::Running;
                    let change = &plan.changes[nodes[i].change];
                    shared.hook.event(Event::ApplyStart { addr: change.addr.clone(), action: nodes[i].step.action() });
                    let step = nodes[i].step;
                    running.push(async move {
                        let started = Instant::now();
                        (i, shared.run(change, step).await, started.elapsed())
                    });
                }
            }
        }
        if running.is_empty() {
            break;
        }
        let next = tokio::select! {
            next = running.next() => next,
            Some((addr, update)) = progress.recv() => {
                shared.hook.event(Event::Progress { addr, message: update.message, done: update.done, total: update.total });
                continue;
            }
            _ = options.stop.changed() => {
                if *options.stop.borrow() >= 2 {
                    shared.hook.event(Event::Interrupted { in_flight: running.len() });
                    diags.push(Diagnostic::error("Apply interrupted", format!("{} operation(s) were abandoned while running; their objects may exist without being recorded. The next plan reconciles them from their intent records.", running.len())));
                    return;
                }
                continue;
            }
        };
        let Some((i, result, elapsed)) = next else { break };
        finished += 1;
        let change = &plan.changes[nodes[i].change];
        match result {
            Ok(()) => {
                status[i] = Status::Done;
                shared.hook.event(Event::ApplyDone {
                    addr: change.addr.clone(),
                    action: nodes[i].step.action(),
                    elapsed,
                    done: finished,
                    total,
                });
                for &j in &dependents[i] {
                    waiting_on[j] -= 1;
                    if waiting_on[j] == 0 {
                        ready.push_back(j);
                    }
                }
            }
            Err(d) => {
                status[i] = Status::Failed;
                shared.hook.event(Event::ApplyFailed {
                    addr: change.addr.clone(),
                    action: nodes[i].step.action(),
                    message: d.detail.clone(),
                });
                diags.push(d);
                // Skip everything downstream.
                let mut stack = dependents[i].clone();
                while let Some(j) = stack.pop() {
                    if status[j] == Status::Waiting {
                        status[j] = Status::Skipped;
                        finished += 1;
                        shared.hook.event(Event::Skipped {
                            addr: plan.changes[nodes[j].change].addr.clone(),
                            because: change.addr.clone(),
                        });
                        stack.extend(dependents[j].iter().copied());
                    }
                }
            }
        }
    }
    if *options.stop.borrow() == 1 {
        let not_started = status.iter().filter(|s| **s == Status::Waiting).count();
        diags.push(Diagnostic::error(
            "Apply interrupted",
            format!("Strata stopped starting new operations when interrupted; {not_started} change(s) were not made. Everything completed is recorded in state."),
        ));
    }
}

impl Shared<'_> {
    fn progress_sink(&self, addr: &ResourceInstanceAddr) -> ProgressSink {
        let (sender, addr) = (self.progress.clone(), addr.clone());
        ProgressSink::new(move |update| {
            // The walk may already be gone (interrupted); a late report is then dropped.
            let _ = sender.send((addr.clone(), update));
        })
    }

    async fn run(&self, change: &ResourceChange, step: Step) -> Result<(), Diagnostic> {
        let provider = self
            .providers
            .get(&change.provider)
            .cloned()
            .ok_or_else(|| missing_provider(&change.provider, &change.addr))?;
        let _permit = match self.providers.limit(&change.provider) {
            Some(semaphore) => Some(
                semaphore
                    .acquire_owned()
                    .await
                    .map_err(|_| Diagnostic::error("Apply interrupted", "The provider's limiter closed."))?,
            ),
            None => None,
        };
        let type_name = change.addr.resource.resource.type_name.clone();
        // Limits start once the provider's own concurrency limit lets the change begin.
        let timeouts = crate::timeouts::of(self.config, &change.addr);
        match step {
            Step::Delete => {
                let limit = Limit::start(&timeouts, TimeoutKind::Delete, &change.provider, &change.addr);
                let prior = change.before.clone();
                let request = ApplyRequest {
                    type_name,
                    prior,
                    planned: None,
                    config: Value::Null,
                    idempotency_token: String::new(),
                    progress: self.progress_sink(&change.addr),
                };
                limit
                    .run(provider.apply(request))
                    .await?
                    .map_err(|e| provider_error("Failed to destroy", &change.addr, &e))?;
                // With create_before_destroy (and for a deposed object left by an earlier one) the
                // address belongs to the new object: only the deposed record goes.
                let deposed = change.action == Action::CreateThenDelete || change.reason == Some(ActionReason::Deposed);
                if deposed {
                    self.record(Operation::RemoveDeposed { address: change.addr.clone() }).await?;
                } else {
                    self.record(Operation::RemoveInstance { address: change.addr.clone() }).await?;
                }
                if !deposed && change.action != Action::DeleteThenCreate {
                    self.set_value(&change.addr, None);
                }
                Ok(())
            }
            Step::Read => {
                let config = self.evaluate_config(change)?;
                let limit = Limit::start(&timeouts, TimeoutKind::Read, &change.provider, &change.addr);
                let value = limit
                    .run(provider.read_data(&type_name, config))
                    .await?
                    .map_err(|e| provider_error("Failed to read data source", &change.addr, &e))?;
                self.set_value(&change.addr, Some(value));
                Ok(())
            }
            Step::Create | Step::Update => {
                let config = self.evaluate_config(change)?;
                // One limit for the final plan and the change itself.
                let kind = if step == Step::Create { TimeoutKind::Create } else { TimeoutKind::Update };
                let limit = Limit::start(&timeouts, kind, &change.provider, &change.addr);
                let prior = if step == Step::Create { None } else { change.before.clone() };
                let request =
                    PlanRequest { type_name: type_name.clone(), prior: prior.clone(), config: config.clone() };
                let planned = limit
                    .run_final_plan(provider.plan(request))
                    .await?
                    .map_err(|e| self.provider_error_at("Provider failed to plan", change, &e))?
                    .planned;
                let schema = self.schemas.resource(&type_name).map(|s| &s.block);
                if let Some(schema) = schema {
                    check_plan_valid(schema, &config, &planned, &change.provider, &change.addr)?;
                }
                if let Some(expected) = &change.after {
                    check_consistent(
                        schema,
                        expected,
                        &planned,
                        &change.provider,
                        &change.addr,
                        Consistency::FinalPlan,
                    )?;
                }
                let mut token = String::new();
                if step == Step::Create {
                    // Only the parts marked sensitive are encrypted at rest.
                    let intent = Intent::from_value(change.provider.clone(), &strip_unknown(&planned))
                        .map_err(|e| state_error(&e.to_string()))?;
                    token = intent.token.clone();
                    self.record(Operation::PutIntent { address: change.addr.clone(), intent }).await?;
                }
                let request = ApplyRequest {
                    type_name,
                    prior,
                    planned: Some(planned.clone()),
                    config,
                    idempotency_token: token,
                    progress: self.progress_sink(&change.addr),
                };
                // A timeout or a provider that cannot tell what happened (it crashed, hung or
                // lost its connection) leaves a create's outcome unknown: its intent record
                // stays for the next plan to reconcile. Only a known failure clears it.
                let new_state = match limit.run(provider.apply(request)).await? {
                    Ok(response) => response.new_state,
                    Err(e) if e.outcome_unknown => {
                        let mut d = self.provider_error_at("Failed to apply", change, &e);
                        if step == Step::Create {
                            let end = if d.detail.ends_with('.') { " " } else { ". " };
                            d.detail.push_str(end);
                            d.detail.push_str("Whether the object was made is unknown: its intent record is kept, and the next plan asks the provider for it.");
                        }
                        return Err(d);
                    }
                    Err(mut e) => {
                        let made = e.new_state.take();
                        let mut d = self.provider_error_at("Failed to apply", change, &e);
                        self.record_failed(change, step, made.map(|object| *object), &mut d).await?;
                        return Err(d);
                    }
                };
                let Some(new_state) = new_state else {
                    return Err(Diagnostic::error(
                        "Provider produced no object",
                        format!("{}: the provider returned nothing after {}.", change.addr, change.action.name()),
                    ));
                };
                // The object exists even when it is not what was planned: it is recorded
                // (a new one as tainted, so the next plan replaces it) and the change fails.
                let inconsistent =
                    check_consistent(schema, &planned, &new_state, &change.provider, &change.addr, Consistency::Result)
                        .err()
                        .map(|mut d| {
                            if step == Step::Create {
                                d.detail.push_str(" The object is recorded as tainted, so the next plan replaces it.");
                            }
                            d
                        });
                let status = if inconsistent.is_some() && step == Step::Create {
                    InstanceStatus::Tainted
                } else {
                    InstanceStatus::Ready
                };
                let instance = self.instance_state(change, &new_state, status)?;
                // Recording the instance also clears its intent, in the same durable record. A
                // create_before_destroy replacement deposes the old object in that record: it
                // stays in state until its destroy completes.
                let address = change.addr.clone();
                let operation = if change.action == Action::CreateThenDelete && step == Step::Create {
                    Operation::Depose { address, instance }
                } else {
                    Operation::PutInstance { address, instance }
                };
                self.record(operation).await?;
                if let Some(d) = inconsistent {
                    return Err(d);
                }
                self.set_value(&change.addr, Some(new_state.clone()));
                self.postconditions(change, new_state)
            }
        }
    }

    /// The state record of `object`, applied for `change`.
    fn instance_state(
        &self,
        change: &ResourceChange,
        object: &Value,
        status: InstanceStatus,
    ) -> Result<InstanceState, Diagnostic> {
        let (attributes, sensitive_paths) = strata_state::encode_value(object)
            .map_err(|e| Diagnostic::error("Provider produced invalid object", format!("{}: {e}", change.addr)))?;
        let schema_version = self.schemas.resource(&change.addr.resource.resource.type_name).map_or(0, |s| s.version);
        Ok(InstanceState {
            provider: change.provider.clone(),
            schema_version,
            attributes,
            sensitive_paths,
            dependencies: change.dependencies.clone(),
            status,
            create_before_destroy: change.create_before_destroy,
        })
    }

    /// After a create or update failed with a known outcome: what the provider says it made
    /// (partial state) is recorded, and `diagnostic` says so. A create's object is recorded
    /// tainted, so the next plan replaces it; an update's object replaces the prior one, its
    /// status unchanged (Terraform keeps it too). Recording clears a create's intent in the same
    /// record; without an object the intent is cleared alone. With `create_before_destroy` the
    /// old object still holds the address, so a failed create's object is not recorded over it.
    async fn record_failed(
        &self,
        change: &ResourceChange,
        step: Step,
        made: Option<Value>,
        diagnostic: &mut Diagnostic,
    ) -> Result<(), Diagnostic> {
        let address = change.addr.clone();
        let create = step == Step::Create;
        let status = if create { InstanceStatus::Tainted } else { InstanceStatus::Ready };
        let (instance, note) = match made {
            None => (None, String::new()),
            Some(_) if create && change.action == Action::CreateThenDelete => (
                None,
                "The object it made is not recorded: with create_before_destroy the old object keeps the address."
                    .to_owned(),
            ),
            Some(object) => match self.instance_state(change, &object, status) {
                Ok(instance) if create => {
                    (Some(instance), "The object it made is recorded as tainted, so the next plan replaces it.".into())
                }
                Ok(instance) => (Some(instance), "The object is recorded as the provider left it.".into()),
                Err(invalid) => (None, format!("The object it returned cannot be recorded: {}", invalid.detail)),
            },
        };
        if !note.is_empty() {
            let detail = &mut diagnostic.detail;
            let separator = if detail.contains('\n') {
                "\n"
            } else if detail.ends_with('.') {
                " "
            } else {
                ". "
            };
            detail.push_str(separator);
            detail.push_str(&note);
        }
        match instance {
            Some(instance) => self.record(Operation::PutInstance { address, instance }).await,
            None if create => self.record(Operation::ClearIntent { address }).await,
            None => Ok(()),
        }
    }

    /// A provider's error about `change`, pointing at the configuration when the resource is
    /// still in it.
    fn provider_error_at(
        &self,
        summary: &str,
        change: &ResourceChange,
        error: &strata_provider::ProviderError,
    ) -> Diagnostic {
        let addr = &change.addr.resource;
        match self.config.module(&addr.module).and_then(|node| node.module.resources.get(&addr.resource)) {
            Some(resource) => crate::plan::provider_error_at(summary, &change.addr, error, resource),
            None => provider_error(summary, &change.addr, error),
        }
    }

    fn evaluate_config(&self, change: &ResourceChange) -> Result<Value, Diagnostic> {
        let addr = &change.addr.resource;
        let node = self.config.module(&addr.module).ok_or_else(|| {
            Diagnostic::error(
                "Resource not in configuration",
                format!("{} is not in the configuration anymore.", change.addr),
            )
        })?;
        let resource = node.module.resources.get(&addr.resource).ok_or_else(|| {
            Diagnostic::error(
                "Resource not in configuration",
                format!("{} is not in the configuration anymore.", change.addr),
            )
        })?;
        let schema = match addr.resource.mode {
            ResourceMode::Managed => self.schemas.resource(&addr.resource.type_name),
            ResourceMode::Data => self.schemas.data_source(&addr.resource.type_name),
        }
        .ok_or_else(|| {
            Diagnostic::error("Invalid resource type", format!("No provider offers \"{}\".", addr.resource.type_name))
        })?;
        let references = resource_references(resource);
        let context = {
            let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
            let extra = self.instance_extra(&mut values, change, resource)?;
            instance_context(&mut values, &addr.module, resource, &references, extra)?
        };
        let mut diags = Diagnostics::new();
        let mut value =
            strata_config::evaluate_body(&resource.body.body, &schema.block, &context, resource.decl_span, &mut diags);
        if let Some(d) = diags.into_iter().find(Diagnostic::is_error) {
            return Err(d);
        }
        if let (Some(prior), Value::Map(config)) = (&change.before, &mut value) {
            for (name, _) in &resource.lifecycle.ignore_changes {
                if let Some(old) = prior.as_mapping().and_then(|m| m.get(name)) {
                    config.insert(name.clone(), old.clone());
                }
            }
        }
        Ok(value)
    }

    /// The `count`/`for_each` names of one instance (`for_each` must be known at plan time, so
    /// expanding once per resource is enough).
    fn instance_extra(
        &self,
        values: &mut Values<'_>,
        change: &ResourceChange,
        resource: &strata_config::Resource,
    ) -> Result<BTreeMap<String, Value>, Diagnostic> {
        let addr = &change.addr.resource;
        let mut expansions = self.expansions.lock().unwrap_or_else(|e| e.into_inner());
        if !expansions.contains_key(addr) {
            let mut diags = Diagnostics::new();
            let keys = crate::expand::expand(values, &addr.module, resource, &mut diags);
            if let Some(d) = diags.into_iter().find(Diagnostic::is_error) {
                return Err(d);
            }
            expansions.insert(addr.clone(), keys.unwrap_or_default().into_iter().collect());
        }
        Ok(expansions
            .get(addr)
            .and_then(|e| e.get(&change.addr.key))
            .map(|r| r.names(&change.addr.key))
            .unwrap_or_default())
    }

    /// Postconditions see the object as applied, as `self`. The object is recorded first: it
    /// exists; a failed postcondition stops what depends on it.
    fn postconditions(&self, change: &ResourceChange, applied: Value) -> Result<(), Diagnostic> {
        let addr = &change.addr.resource;
        let Some(resource) = self.config.module(&addr.module).and_then(|n| n.module.resources.get(&addr.resource))
        else {
            return Ok(());
        };
        if resource.lifecycle.postconditions.is_empty() {
            return Ok(());
        }
        let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        let mut extra = self.instance_extra(&mut values, change, resource)?;
        extra.insert("self".into(), applied);
        let failures = crate::conditions::evaluate(
            &mut values,
            &addr.module,
            &resource.lifecycle.postconditions,
            &extra,
            crate::conditions::Rule::Postcondition,
            Some(&change.addr),
        );
        failures.into_iter().next().map_or(Ok(()), Err)
    }

    fn set_value(&self, addr: &ResourceInstanceAddr, value: Option<Value>) {
        let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        let module = addr.resource.module.clone();
        let resource = addr.resource.resource.clone();
        // Taken out, not copied: a resource with thousands of instances is updated once per
        // instance, and copying its list each time would make apply quadratic.
        let current = values.take_resource(&module, &resource);
        let updated = put_instance(current, &addr.key, value);
        values.set_resource(&module, &resource, updated);
    }

    async fn record(&self, op: Operation) -> Result<(), Diagnostic> {
        // The backend keeps the current state; a second copy here would only cost memory.
        self.store.record(op).await.map_err(|e| state_error(&e.to_string()))?;
        Ok(())
    }

    /// Moves, then interrupted creates and imports: adopt what the provider found, forget the
    /// rest.
    async fn reconcile(&self, plan: &Plan) -> Result<(), Diagnostic> {
        for moved in &plan.moved {
            let (instance, done) =
                (self.state.resources.get(&moved.from).cloned(), self.state.resources.contains_key(&moved.to));
            let Some(instance) = instance else { continue };
            // Put first: a crash between the two records leaves the same object at both
            // addresses, which the next plan recognizes as a half-done move; never at neither.
            if !done {
                self.record(Operation::PutInstance { address: moved.to.clone(), instance }).await?;
            }
            self.record(Operation::RemoveInstance { address: moved.from.clone() }).await?;
        }
        for item in &plan.reconciled {
            if let Some(found) = &item.found {
                let (attributes, sensitive_paths) =
                    strata_state::encode_value(found).map_err(|e| state_error(&e.to_string()))?;
                let instance = InstanceState {
                    provider: item.provider.clone(),
                    schema_version: 0,
                    attributes,
                    sensitive_paths,
                    dependencies: Vec::new(),
                    status: InstanceStatus::Ready,
                    create_before_destroy: false,
                };
                self.record(Operation::PutInstance { address: item.addr.clone(), instance }).await?;
            }
            self.record(Operation::ClearIntent { address: item.addr.clone() }).await?;
        }
        Ok(())
    }

    async fn record_refreshed(&self, drift: &ResourceChange) -> Result<(), Diagnostic> {
        let Some(after) = &drift.after else {
            return self.record(Operation::RemoveInstance { address: drift.addr.clone() }).await;
        };
        let existing = self.state.resources.get(&drift.addr).cloned();
        let Some(mut instance) = existing else { return Ok(()) };
        let (attributes, sensitive_paths) =
            strata_state::encode_value(after).map_err(|e| state_error(&e.to_string()))?;
        instance.attributes = attributes;
        instance.sensitive_paths = sensitive_paths;
        self.record(Operation::PutInstance { address: drift.addr.clone(), instance }).await
    }

    async fn record_outputs(&self, plan: &Plan) -> Result<(), Diagnostic> {
        if plan.mode == PlanMode::Destroy {
            let names: Vec<String> = self.state.outputs.keys().cloned().collect();
            for name in names {
                self.record(Operation::RemoveOutput { name }).await?;
            }
            return Ok(());
        }
        for change in &plan.outputs {
            if change.after.is_none() {
                self.record(Operation::RemoveOutput { name: change.name.clone() }).await?;
                continue;
            }
            let value =
                self.values.lock().unwrap_or_else(|e| e.into_inner()).output(&ModulePath::root(), &change.name, 0);
            let value = match value {
                Ok(v) if v.is_wholly_known() => v,
                // Something it depends on failed; keep the old value.
                Ok(_) | Err(_) => continue,
            };
            let (json, _) = strata_state::encode_value(&value).map_err(|e| state_error(&e.to_string()))?;
            let output = OutputState { value: json, sensitive: change.sensitive || value.contains_sensitive() };
            self.record(Operation::PutOutput { name: change.name.clone(), output }).await?;
        }
        Ok(())
    }
}

/// The value every resource has at the start of apply: planned values (with unknowns) for
/// what changes, prior values for what does not.
///
/// Unchanged objects are read from the state rather than the plan, because a saved plan file
/// does not hold sensitive values.
fn initial_values<'c>(
    config: &'c Config,
    plan: &Plan,
    state: &State,
    root_variables: BTreeMap<String, Value>,
) -> Values<'c> {
    let mut values = Values::new(config, root_variables);
    let mut per_resource: BTreeMap<AbsResourceAddr, Vec<(InstanceKey, Value)>> = BTreeMap::new();
    for change in &plan.changes {
        let value = match change.action {
            Action::Delete => continue,
            Action::NoOp => match state.resources.get(&change.addr) {
                Some(instance) => Some(strata_state::decode_value(&instance.attributes, &instance.sensitive_paths)),
                None => change.before.clone(),
            },
            _ => change.after.clone(),
        };
        per_resource
            .entry(change.addr.resource.clone())
            .or_default()
            .push((change.addr.key.clone(), value.unwrap_or(Value::Null)));
    }
    for (addr, instances) in per_resource {
        let mut value = None;
        for (key, instance) in instances {
            value = Some(put_instance(value, &key, Some(instance)));
        }
        values.set_resource(&addr.module, &addr.resource, value.unwrap_or(Value::Null));
    }
    values
}

/// Puts one instance's value into its resource's value (object, list by index, map by key).
fn put_instance(current: Option<Value>, key: &InstanceKey, value: Option<Value>) -> Value {
    match key {
        InstanceKey::None => value.unwrap_or(Value::Null),
        InstanceKey::Int(i) => {
            let mut items = match current {
                Some(Value::List(items)) => items,
                _ => Vec::new(),
            };
            let i = *i as usize;
            if items.len() <= i {
                items.resize(i + 1, Value::Null);
            }
            items[i] = value.unwrap_or(Value::Null);
            Value::List(items)
        }
        InstanceKey::String(_) => {
            let mut entries = match current {
                Some(Value::Map(entries)) => entries,
                _ => BTreeMap::new(),
            };
            match value {
                Some(v) => entries.insert(key_string(key), v),
                None => entries.remove(&key_string(key)),
            };
            Value::Map(entries)
        }
    }
}

/// Intent records store what is known of the planned object.
fn strip_unknown(value: &Value) -> Value {
    match value {
        Value::Unknown(_) => Value::Null,
        Value::Sensitive(inner) => strip_unknown(inner).mark_sensitive(),
        Value::List(items) => Value::List(items.iter().map(strip_unknown).collect()),
        Value::Set(items) => Value::set(items.iter().map(strip_unknown)),
        Value::Map(entries) => Value::Map(entries.iter().map(|(k, v)| (k.clone(), strip_unknown(v))).collect()),
        other => other.clone(),
    }
}

fn state_error(message: &str) -> Diagnostic {
    Diagnostic::error(
        "Failed to persist state",
        format!("{message}. Everything recorded before this point is safe on disk."),
    )
}
