//! Refresh ahead of planning. Every object in state whose resource the configuration still
//! declares is upgraded (when written under an older schema version) and read from its
//! provider concurrently, bounded by the plan's parallelism and each provider's declared limit;
//! the planning walk, which must go in dependency order, then takes the answers from here.
//!
//! Refresh is I/O against the real world (a plugin process, SSH to hosts, a cloud API) and
//! needs nothing but the stored object, so there is no reason to pay its round trips one after
//! another, as a sequential walk would.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr, ResourceMode};
use strata_config::{Config, Resource};
use strata_diagnostics::Diagnostic;
use strata_provider::{ReadRequest, UpgradeRequest};
use strata_schema::SchemaSource;
use strata_state::{InstanceState, State};
use strata_value::Value;
use tokio::sync::Semaphore;

use crate::events::{Event, Hook};
use crate::plan::provider_error;
use crate::providers::ProviderSet;
use crate::timeouts::{Limit, TimeoutKind};

/// One object's refresh: the stored value (upgraded) and what the provider said of it.
pub(crate) struct Refreshed {
    pub stored: Value,
    /// The stored object is tainted: planning replaces it (read here so that planning does not
    /// look the instance up in state again).
    pub tainted: bool,
    /// `None` when refresh is off or the upgrade failed.
    pub answer: Option<Result<Option<Value>, Diagnostic>>,
    /// A failed state upgrade.
    pub problem: Option<Diagnostic>,
}

/// What the refresh of one object needs.
pub(crate) struct Job<'a> {
    pub addr: &'a ResourceInstanceAddr,
    pub instance: &'a InstanceState,
    pub resource: &'a Resource,
    pub provider_addr: ProviderConfigAddr,
}

/// The objects to refresh ahead: in state, declared by a managed resource of the configuration
/// (and included by targeting), and not already adopted by reconciliation.
pub(crate) fn jobs<'a>(
    config: &'a Config,
    state: &'a State,
    targeting: &crate::targeting::Targeting,
    skip: &BTreeMap<ResourceInstanceAddr, Value>,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    for (addr, instance) in &state.resources {
        if addr.resource.resource.mode != ResourceMode::Managed || skip.contains_key(addr) {
            continue;
        }
        if targeting.keeps_instance(addr) {
            continue;
        }
        let Some(node) = config.module(&addr.resource.module) else { continue };
        let Some(resource) = node.module.resources.get(&addr.resource.resource) else { continue };
        let provider_addr = config.resource_provider(&addr.resource.module, resource);
        jobs.push(Job { addr, instance, resource, provider_addr });
    }
    jobs
}

/// Refreshes every job, at most `parallelism` at once.
pub(crate) async fn refresh_all<'a>(
    jobs: Vec<Job<'a>>,
    schemas: &dyn SchemaSource,
    providers: &ProviderSet,
    refresh: bool,
    parallelism: usize,
    hook: &dyn Hook,
) -> FxHashMap<&'a ResourceInstanceAddr, Refreshed> {
    let overall = Semaphore::new(parallelism.max(1));
    let mut running = FuturesUnordered::new();
    for job in jobs {
        let overall = &overall;
        running.push(async move {
            let _permit = overall.acquire().await.ok();
            let provider_limit = providers.limit(&job.provider_addr);
            let _provider_permit = match &provider_limit {
                Some(semaphore) => semaphore.acquire().await.ok(),
                None => None,
            };
            let refreshed = refresh_one(&job, schemas, providers, refresh, hook).await;
            (job.addr, refreshed)
        });
    }
    // Keyed by the state's own addresses, borrowed: nothing is copied per object.
    let mut out = FxHashMap::with_capacity_and_hasher(running.len(), Default::default());
    while let Some((addr, refreshed)) = running.next().await {
        out.insert(addr, refreshed);
    }
    out
}

/// Upgrades one stored object if its schema version is older, then reads it (unless refresh
/// is off).
pub(crate) async fn refresh_one(
    job: &Job<'_>,
    schemas: &dyn SchemaSource,
    providers: &ProviderSet,
    refresh: bool,
    hook: &dyn Hook,
) -> Refreshed {
    let addr = job.addr;
    let type_name = &addr.resource.resource.type_name;
    let mut stored = strata_state::decode_value(&job.instance.attributes, &job.instance.sensitive_paths);
    let tainted = job.instance.status == strata_state::InstanceStatus::Tainted;
    let Some(provider) = providers.get(&job.provider_addr).cloned() else {
        // The planning walk reports the missing provider.
        return Refreshed { stored, tainted, answer: None, problem: None };
    };
    let current_version = schemas.resource(type_name).map_or(0, |s| s.version);
    if job.instance.schema_version < current_version {
        let request = UpgradeRequest {
            type_name: type_name.clone(),
            schema_version: job.instance.schema_version,
            attributes: stored.clone(),
        };
        match provider.upgrade_state(request).await {
            Ok(upgraded) => stored = upgraded,
            Err(e) => {
                let problem = provider_error("Failed to upgrade state", addr, &e);
                return Refreshed { stored, tainted, answer: None, problem: Some(problem) };
            }
        }
    }
    if !refresh {
        return Refreshed { stored, tainted, answer: None, problem: None };
    }
    if hook.wants_refresh_starts() {
        hook.event(Event::RefreshStart { addr: addr.clone() });
    }
    let request = ReadRequest { type_name: type_name.clone(), current: stored.clone() };
    let limit = Limit::start(&job.resource.timeouts, TimeoutKind::Read, &job.provider_addr, addr);
    let answer = match limit.run(provider.read(request)).await {
        Ok(Ok(current)) => Ok(current),
        Ok(Err(e)) => Err(provider_error("Failed to refresh", addr, &e)),
        Err(d) => Err(d),
    };
    Refreshed { stored, tainted, answer: Some(answer), problem: None }
}
