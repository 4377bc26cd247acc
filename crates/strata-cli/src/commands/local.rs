//! `strata local gc`: removes the hosts of this configuration's `local` network that no state
//! knows (hosts left by a crashed run, a failed test, or `strata state rm`), and its bridge
//! when no host is left. The network is the one the provider uses for this working directory
//! and `state_dir` (`strata_provider_local::provider::network_name`), so hosts of other
//! projects, even in the same state directory, are never touched.
//!
//! The state is read (and locked, so no apply creates hosts meanwhile) the way plan and apply
//! open it: the configuration's backend block, else `strata.state.json`. Hosts of
//! `local_host` instances and of interrupted `local_host` creates (intents, which the next
//! plan adopts) are kept.

use std::collections::BTreeMap;
use std::time::Duration;

use strata_addrs::ProviderConfigAddr;
use strata_config::Config;
use strata_diagnostics::Diagnostic;
use strata_provider_local::provider::schema::LOCAL_HOST;
use strata_provider_local::provider::{Settings, host_id};
use strata_schema::SchemaSource as _;
use strata_state::State;
use strata_value::Value;

use super::backend::{self, BackendConfig};
use crate::cli::{LocalCommand, LocalGcArgs};
use crate::printer::Printer;

pub fn run(command: &LocalCommand, printer: &Printer) -> u8 {
    match command {
        LocalCommand::Gc(args) => gc(args, printer),
    }
}

fn gc(args: &LocalGcArgs, printer: &Printer) -> u8 {
    let (config, files, diags, values) = super::load_validate_and_resolve(&args.variables);
    let Some(config) = config.filter(|_| !diags.has_errors()) else {
        printer.diagnostics(&diags, &files);
        return 1;
    };
    printer.diagnostics(&diags, &files);
    let variables: BTreeMap<String, Value> =
        values.into_iter().filter_map(|(name, value)| value.map(|value| (name, value))).collect();
    let fail = |diagnostic: Diagnostic| {
        printer.diagnostics(&diagnostic.into(), &files);
        1
    };
    let settings = match local_settings(&config, &variables) {
        Ok(settings) => settings,
        Err(diagnostic) => return fail(diagnostic),
    };
    let timeout = match super::run::lock_timeout(&args.lock_timeout) {
        Ok(timeout) => timeout,
        Err(diagnostic) => return fail(diagnostic),
    };
    let backend = BackendConfig::from_config(&config);
    let outcome = super::runtime().block_on(collect(&backend, &settings, timeout));
    match outcome {
        Ok(text) => {
            printer.data(&text);
            0
        }
        Err(diagnostic) => fail(diagnostic),
    }
}

/// Locks the state, removes the unknown hosts, and describes what went.
async fn collect(backend: &BackendConfig, settings: &Settings, timeout: Duration) -> Result<String, Diagnostic> {
    // Local state that does not exist yet knows no host; it is not created here.
    let missing = backend.local_path().is_some_and(|path| !path.exists());
    let (guard, state) = if missing {
        (None, State::new())
    } else {
        let (guard, _store, state) = backend::open(backend, "local gc", timeout).await?;
        (Some(guard), state)
    };
    let known = known_host_ids(&state);
    let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let result = strata_provider_local::gc_network(&settings.state_dir, &settings.network, &known_refs);
    if let Some(guard) = guard {
        guard.release().await;
    }
    let report = result.map_err(|error| {
        Diagnostic::error("Failed to remove local hosts", format!("network {}: {error}", settings.network))
    })?;
    let place = format!("network {} (state directory {})", settings.network, settings.state_dir.display());
    if report.removed_hosts.is_empty() && report.removed_bridges.is_empty() {
        return Ok(format!("Nothing to remove: every host of {place} is in the state ({} known).\n", known.len()));
    }
    let mut text = format!("Removed from {place}:\n");
    for id in &report.removed_hosts {
        text.push_str(&format!("  host {id} ({})\n", strata_provider_local::netns_name(&settings.network, id)));
    }
    for bridge in &report.removed_bridges {
        text.push_str(&format!("  bridge {bridge} (no host left)\n"));
    }
    Ok(text)
}

/// Ids of the hosts the state knows: `local_host` instances, and the hosts interrupted
/// creates may have made (the next plan adopts them).
fn known_host_ids(state: &State) -> Vec<String> {
    let instances = state
        .resources
        .iter()
        .filter(|(addr, _)| addr.resource.resource.type_name == LOCAL_HOST)
        .filter_map(|(_, instance)| instance.attributes.get("id")?.as_str().map(str::to_owned));
    let intents = state
        .intents
        .iter()
        .filter(|(addr, _)| addr.resource.resource.type_name == LOCAL_HOST)
        .map(|(_, intent)| host_id(&intent.token));
    let mut ids: Vec<String> = instances.chain(intents).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Whether the configuration has a `provider "local"` block or a resource of the provider.
fn uses_local(config: &Config) -> bool {
    config.root.walk().into_iter().any(|node| {
        node.module.providers.iter().any(|provider| provider.addr.name == "local")
            || node.module.resources.values().any(|resource| resource.provider_addr().name == "local")
    })
}

/// The root module's `provider "local" { }` block, evaluated as plan and apply evaluate it,
/// read as the provider reads it.
fn local_settings(config: &Config, variables: &BTreeMap<String, Value>) -> Result<Settings, Diagnostic> {
    let plugins = super::plugins::current();
    let Some(schema) = plugins.catalog.provider("local").map(|provider| provider.config.clone()) else {
        return Err(Diagnostic::error("No local provider", "The catalog has no \"local\" provider."));
    };
    if !uses_local(config) {
        return Err(Diagnostic::error(
            "No local hosts in this configuration",
            "This configuration does not use the local provider (no provider \"local\" block and no local_* resource), so it has no local network to clean up.",
        ));
    }
    let addr = ProviderConfigAddr::default_for("local");
    let value = super::run::provider_settings(config, &addr, &schema, variables)?;
    let working_dir = std::env::current_dir().map_err(|error| {
        Diagnostic::error("Cannot read the working directory", format!("reading the working directory: {error}"))
    })?;
    Settings::from_config(&value, &working_dir)
        .map_err(|error| Diagnostic::error("Invalid local provider settings", error.message))
}
