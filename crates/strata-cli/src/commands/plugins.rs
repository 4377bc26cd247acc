//! Provider plugins a configuration needs: found on the search path, started once per run,
//! their schemas merged into the catalog that validation and planning use.
//!
//! The `strata` provider runs in process unless `STRATA_BUILTIN_PROVIDERS=plugin`, which
//! starts its `strata-provider-strata` executable instead (the benchmark uses this to measure
//! the protocol's cost). Providers whose schemas ship in the built-in catalog but whose plugin
//! is not installed keep the catalog's schema, so `validate` works without them; planning
//! their resources then reports the missing provider.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use strata_addrs::ProviderConfigAddr;
use strata_config::Config;
use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_plugin_host::{LogSink, PluginProvider, find_plugin};
use strata_schema::{Catalog, SchemaSource};

use crate::printer::Printer;

/// The plugins of this run and the schemas everything is checked against.
pub struct Plugins {
    pub catalog: Catalog,
    /// One process per provider configuration: the default one of each provider the
    /// configuration uses, and one more per `provider "NAME" { alias = "..." }` block (a
    /// plugin process is configured once, like Terraform's).
    pub started: BTreeMap<strata_addrs::ProviderConfigAddr, Arc<PluginProvider>>,
}

static PLUGINS: OnceLock<Plugins> = OnceLock::new();
static VERBOSE: AtomicBool = AtomicBool::new(false);

/// `--verbose`: show plugins' stderr lines as they come.
pub fn set_verbose(verbose: bool) {
    VERBOSE.store(verbose, Ordering::Relaxed);
}

/// Whether the built-in `strata` provider runs as a plugin process.
pub fn builtin_as_plugin() -> bool {
    std::env::var("STRATA_BUILTIN_PROVIDERS").is_ok_and(|v| v == "plugin")
}

/// The plugins started for `config` (started on the first call; one configuration per run).
pub fn for_config(config: &Config, diags: &mut Diagnostics) -> &'static Plugins {
    if let Some(plugins) = PLUGINS.get() {
        return plugins;
    }
    let plugins = super::runtime().block_on(start(config, diags));
    PLUGINS.get_or_init(|| plugins)
}

/// The plugins started so far, or none (commands that never loaded a configuration).
pub fn current() -> &'static Plugins {
    PLUGINS.get_or_init(|| Plugins { catalog: strata_schema::builtin_catalog(), started: BTreeMap::new() })
}

/// Provider names the configuration uses: provider blocks, `provider` meta-arguments, and
/// the provider each resource type implies (`test_thing` → `test`).
fn provider_names(config: &Config) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for node in config.root.walk() {
        for provider in &node.module.providers {
            names.insert(provider.addr.name.clone());
        }
        for resource in node.module.resources.values() {
            let addr = resource
                .provider
                .clone()
                .unwrap_or_else(|| strata_addrs::ProviderConfigAddr::implied_by_type(&resource.addr.type_name));
            names.insert(addr.name);
        }
    }
    names
}

fn log_sink() -> LogSink {
    let verbose = VERBOSE.load(Ordering::Relaxed) || std::env::var_os("STRATA_LOG").is_some_and(|v| !v.is_empty());
    Arc::new(move |name: &str, line: &str| {
        if verbose {
            Printer::new(false).status(&format!("[provider {name}] {line}"));
        }
    })
}

/// The plugin's schema wins for everything it describes; types the built-in catalog lists for
/// this provider that the plugin does not (yet) serve stay, so configurations using them still
/// validate (planning them reports the provider's answer).
fn merge_schema(catalog: &mut Catalog, name: &str, served: strata_schema::ProviderSchema) {
    let entry = catalog.providers.entry(name.to_owned()).or_default();
    entry.config = served.config;
    entry.resources.extend(served.resources);
    entry.data_sources.extend(served.data_sources);
}

async fn start(config: &Config, diags: &mut Diagnostics) -> Plugins {
    let mut catalog = strata_schema::builtin_catalog();
    let mut started = BTreeMap::new();
    for name in provider_names(config) {
        if name == "strata" && !builtin_as_plugin() {
            continue;
        }
        let path = match find_plugin(&name) {
            Ok(path) => path,
            // Schemas shipped in the catalog keep validation working without the plugin.
            Err(_) if catalog.provider(&name).is_some() => continue,
            Err(error) => {
                diags.push(
                    Diagnostic::error("Provider not found", error.to_string()).with_hint(format!(
                        "install the provider as .strata/providers/strata-provider-{name} (or ~/.strata/providers/, or on $PATH), or check the resource type's prefix"
                    )),
                );
                continue;
            }
        };
        let aliases = config.root.module.providers.iter().filter(|p| p.addr.name == name && p.addr.alias.is_some());
        let addrs: Vec<ProviderConfigAddr> = std::iter::once(ProviderConfigAddr::default_for(name.as_str()))
            .chain(aliases.map(|p| p.addr.clone()))
            .collect();
        for addr in addrs {
            match PluginProvider::start(&name, &path, log_sink()).await {
                Ok(plugin) => {
                    merge_schema(&mut catalog, &name, strata_provider::Provider::schema(&plugin));
                    started.insert(addr, Arc::new(plugin));
                }
                Err(error) => {
                    diags.push(Diagnostic::error("Failed to start provider", error.to_string()).with_hint(format!(
                        "run with --verbose (or STRATA_LOG=1) to see the provider's log; plugin: {}",
                        path.display()
                    )))
                }
            }
        }
    }
    Plugins { catalog, started }
}
