//! What plan, apply and destroy share: load and validate, providers, state and its lock.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use strata_addrs::ProviderConfigAddr;
use strata_config::Config;
use strata_diagnostics::{Diagnostic, Diagnostics, SourceFiles};
use strata_engine::ProviderSet;
use strata_provider::Provider;
use strata_value::Value;

use super::backend::BackendConfig;
use crate::cli::RunArgs;

/// [`prepare`] for commands that only read: warnings are printed, and what stops the run
/// too (also as `validate --json`'s document on stdout with `json`, so a CI job reading stdout
/// gets JSON either way).
pub fn prepare_printed(args: &RunArgs, json: bool, printer: &crate::printer::Printer) -> Option<Run> {
    match prepare(args) {
        Ok((run, warnings)) => {
            printer.diagnostics(&warnings, &run.files);
            Some(run)
        }
        Err((files, diags)) => {
            if json {
                printer.data(&super::validate::json_document(&diags, &files));
            }
            printer.diagnostics(&diags, &files);
            None
        }
    }
}

/// A loaded, valid configuration with everything a run needs.
pub struct Run {
    pub config: Config,
    pub files: SourceFiles,
    pub variables: BTreeMap<String, Value>,
    pub backend: BackendConfig,
}

/// Loads, validates and resolves variables; `Err` carries the diagnostics to print.
pub fn prepare(args: &RunArgs) -> Result<(Run, Diagnostics), (SourceFiles, Diagnostics)> {
    let (config, files, mut diags, values) = super::load_validate_and_resolve(&args.variables);
    let Some(config) = config.filter(|_| !diags.has_errors()) else { return Err((files, diags)) };
    let mut variables = BTreeMap::new();
    for (name, variable) in &config.root.module.variables {
        match values.get(name).cloned().flatten() {
            Some(value) => {
                variables.insert(name.clone(), value);
            }
            None => diags.push(
                Diagnostic::error(
                    "No value for required variable",
                    format!("The root variable \"{name}\" has no default and no value was given."),
                )
                .with_subject(variable.decl_span)
                .with_hint(format!("pass --var {name}=VALUE, set STRATA_VAR_{name}, or add it to strata.hclvars")),
            ),
        }
    }
    if diags.has_errors() {
        return Err((files, diags));
    }
    let backend = BackendConfig::from_config(&config);
    Ok((Run { config, files, variables, backend }, diags))
}

/// The backend for commands that only read or edit state: the configuration's backend block
/// when the directory has a configuration, else the default local file.
pub fn configured_backend() -> BackendConfig {
    let mut files = SourceFiles::new();
    match strata_config::load(std::path::Path::new("."), &mut files) {
        (Some(config), _) => BackendConfig::from_config(&config),
        (None, _) => BackendConfig::Local(PathBuf::from(super::backend::DEFAULT_LOCAL_STATE)),
    }
}

/// [`configured_backend`]'s state (see `backend::read_state`).
pub fn configured_state() -> Result<Option<strata_state::State>, String> {
    super::backend::read_state(&configured_backend())
}

/// The providers of this run, configured: the built-in `strata` provider in process (unless
/// it runs as a plugin) and every plugin started for the configuration.
pub async fn providers(config: &Config, variables: &BTreeMap<String, Value>) -> Result<ProviderSet, Diagnostic> {
    let mut set = ProviderSet::new();
    let plugins = super::plugins::current();
    if !super::plugins::builtin_as_plugin() {
        let aliases = config.root.module.providers.iter().filter(|p| p.addr.name == "strata").map(|p| p.addr.clone());
        for addr in std::iter::once(ProviderConfigAddr::default_for("strata")).chain(aliases) {
            let provider: Arc<dyn Provider> = Arc::new(strata_provider_strata::StrataProvider::new());
            set.insert(addr, provider);
        }
    }
    for (addr, plugin) in &plugins.started {
        set.insert(addr.clone(), plugin.clone());
    }
    for (addr, provider) in set.iter() {
        let settings = provider_settings(config, addr, &provider.schema().config, variables)?;
        provider.configure(settings).await.map_err(|e| {
            Diagnostic::error("Failed to configure provider", format!("provider \"{}\": {}", addr.name, e.message))
        })?;
    }
    Ok(set)
}

/// The evaluated `provider "NAME" { }` block of the root module (an empty object when there
/// is none). Provider blocks may refer to root variables (`var.region`).
pub(crate) fn provider_settings(
    config: &Config,
    addr: &ProviderConfigAddr,
    schema: &strata_schema::BlockSchema,
    variables: &BTreeMap<String, Value>,
) -> Result<Value, Diagnostic> {
    let Some(block) = config.root.module.providers.iter().find(|p| &p.addr == addr) else {
        return Ok(Value::Map(BTreeMap::new()));
    };
    let functions = strata_functions::FunctionContext { base_dir: config.root.module.dir.clone() };
    let mut context = strata_eval::EvalContext::new(block.file, functions);
    context.scope = Arc::new(BTreeMap::from([("var".to_owned(), Value::Map(variables.clone()))]));
    let mut diags = Diagnostics::new();
    let value = strata_config::evaluate_body(&block.body, schema, &context, block.decl_span, &mut diags);
    match diags.into_iter().find(|d| d.is_error()) {
        Some(error) => Err(error),
        None => Ok(value),
    }
}

/// `--lock-timeout` as a duration, or a diagnostic.
pub fn lock_timeout(text: &str) -> Result<Duration, Diagnostic> {
    parse_duration(text).ok_or_else(|| {
        Diagnostic::error("Invalid --lock-timeout", format!("\"{text}\" is not a duration; write it like 0s, 30s, 5m."))
    })
}

/// `30s`, `5m`, `1h`, `250ms`, `0`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text == "0" {
        return Some(Duration::ZERO);
    }
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    Some(match unit {
        "ms" => Duration::from_millis(number),
        "s" => Duration::from_secs(number),
        "m" => Duration::from_secs(number * 60),
        "h" => Duration::from_secs(number * 3600),
        _ => return None,
    })
}

/// SHA-256 over the configuration files (names and contents, in a stable order): a saved
/// plan applies only to the configuration it was made from.
pub fn config_digest(files: &SourceFiles) -> String {
    use sha2::{Digest, Sha256};
    let mut parts: Vec<(&str, &str)> =
        files.iter().map(|(_, f)| (f.name.as_str(), &*f.text)).filter(|(name, _)| name.ends_with(".hcl")).collect();
    parts.sort();
    let mut hasher = Sha256::new();
    for (name, text) in parts {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

/// SHA-256 of each root variable's value, so a saved plan never holds a variable's text.
pub fn variable_digests(variables: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    use sha2::{Digest, Sha256};
    variables
        .iter()
        .map(|(name, value)| (name.clone(), hex(&Sha256::digest(value.canonical_key().as_bytes()))))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
