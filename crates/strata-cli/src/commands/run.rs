//! What plan, apply and destroy share: load and validate, providers, state and its lock.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use strata_addrs::ProviderConfigAddr;
use strata_config::Config;
use strata_diagnostics::{Diagnostic, Diagnostics, SourceFiles};
use strata_engine::ProviderSet;
use strata_value::Value;

use super::backend::BackendConfig;
use crate::cli::RunArgs;

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

/// The state path for commands that only read or edit state: from the configuration's backend
/// block when the directory has a configuration, else the default.
pub fn configured_state_path() -> PathBuf {
    let mut files = SourceFiles::new();
    match strata_config::load(std::path::Path::new("."), &mut files) {
        (Some(config), _) => BackendConfig::from_config(&config)
            .local_path()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("strata.state.json")),
        (None, _) => PathBuf::from("strata.state.json"),
    }
}

/// The providers Strata has today: the built-in `strata` provider, configured.
pub async fn providers() -> Result<ProviderSet, Diagnostic> {
    let mut set = ProviderSet::new();
    let addr = ProviderConfigAddr::default_for("strata");
    let provider = Arc::new(strata_provider_strata::StrataProvider::new());
    // The strata provider takes no settings, so its provider block (if any) is not read.
    strata_provider::Provider::configure(provider.as_ref(), Value::Map(BTreeMap::new()))
        .await
        .map_err(|e| Diagnostic::error("Failed to configure provider", format!("provider.strata: {}", e.message)))?;
    set.insert(addr, provider);
    Ok(set)
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
