//! `local_host` as values (pure): the configuration checked ([`HostConfig`]), the plan
//! ([`plan`]), the host id an idempotency token names ([`host_id`]) and the state of a host
//! ([`state_value`]). The provider's I/O (`mod.rs`) calls these; the table in
//! `testdata/local-provider/plan.json` tests them.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};
use strata_provider::{PlanResponse, ProviderError};
use strata_value::{Type, Value};

use super::schema::{DEFAULT_INSTANCE_TYPE, RUNNING, SSH_USER};
use super::settings::Settings;
use crate::{HostStatus, INSTANCE_TYPES, InstanceType, Isolation, SSH_PORT, instance_type, names};

/// Hex digits of the token's hash in a host id (`h` + 12: short enough for every name made
/// from it, unique enough for the hosts of one state directory).
const ID_HASH_DIGITS: usize = 12;

/// Arguments that replace the host when they change.
const FORCE_NEW: [&str; 3] = ["instance_type", "isolation", "hostname"];

/// The host id a create with `token` makes: `h` and 12 hex digits of the token's SHA-256.
pub fn host_id(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("h{}", &hex[..ID_HASH_DIGITS])
}

/// A `local_host` configuration, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct HostConfig {
    pub instance_type: &'static InstanceType,
    /// `Some(Value::String)` when set, `Some(Value::Unknown)` when not known yet, `None` unset.
    pub hostname: Option<Value>,
    /// `namespace` when unset.
    pub isolation: Isolation,
}

impl HostConfig {
    /// Checks a configuration (or a planned value): the instance type is in the catalog, the
    /// isolation is `namespace` or `container`. Errors name the attribute.
    pub fn check(config: &Value) -> Result<HostConfig, ProviderError> {
        let instance_type = match attribute(config, "instance_type") {
            Value::Null => instance_type(DEFAULT_INSTANCE_TYPE).expect("the default is in the catalog"),
            Value::String(name) => instance_type(name).ok_or_else(|| {
                let known: Vec<&str> = INSTANCE_TYPES.iter().map(|entry| entry.name).collect();
                ProviderError::at(
                    "instance_type",
                    format!("unknown instance type {name:?}; the local catalog has {}", known.join(", ")),
                )
            })?,
            _ => return Err(ProviderError::at("instance_type", "the instance type must be known at plan time")),
        };
        let isolation = match attribute(config, "isolation") {
            Value::Null => Isolation::default(),
            Value::String(isolation) => {
                isolation.parse::<Isolation>().map_err(|reason| ProviderError::at("isolation", reason))?
            }
            _ => return Err(ProviderError::at("isolation", "the isolation must be known at plan time")),
        };
        let hostname = match attribute(config, "hostname") {
            Value::Null => None,
            Value::String(hostname) => {
                names::check_hostname(hostname).map_err(|error| ProviderError::at("hostname", error.to_string()))?;
                Some(Value::from(hostname.as_str()))
            }
            value @ Value::Unknown(_) => Some(value.clone()),
            _ => return Err(ProviderError::at("hostname", "the hostname must be a string")),
        };
        Ok(HostConfig { instance_type, hostname, isolation })
    }
}

/// What is known of a host that exists, for its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostFacts<'a> {
    pub id: &'a str,
    pub hostname: &'a str,
    pub ip: String,
    pub instance_type: &'a str,
    /// As recorded when the host was made.
    pub isolation: Isolation,
    /// `None` when the host key cannot be read (a half-made host).
    pub host_key_fingerprint: Option<&'a str>,
    /// [`RUNNING`] or `broken: <why>`.
    pub status: String,
}

/// The state of a host.
pub fn state_value(settings: &Settings, facts: &HostFacts<'_>) -> Value {
    let size = instance_type(facts.instance_type);
    let mut entries = common(settings, size);
    entries.insert("id".into(), Value::from(facts.id));
    entries.insert("hostname".into(), Value::from(facts.hostname));
    entries.insert("private_ip".into(), Value::from(facts.ip.as_str()));
    entries.insert("instance_type".into(), Value::from(facts.instance_type));
    entries.insert("isolation".into(), Value::from(facts.isolation.name()));
    entries.insert("ssh_host_key_fingerprint".into(), facts.host_key_fingerprint.map_or(Value::Null, Value::from));
    entries.insert("status".into(), Value::from(facts.status.as_str()));
    Value::Map(entries)
}

/// What is known of a host's key: the fingerprint its sshd presents (when it runs: `Err` when
/// it does not answer SSH), the one the state records, the one of its key file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyFacts<'a> {
    pub presented: Option<Result<&'a str, &'a str>>,
    pub recorded: Option<&'a str>,
    pub key_file: Option<&'a str>,
}

/// The `status` attribute (pure): [`RUNNING`] only when the host runs and its sshd presents
/// the key the state records (the key file's when the state has none yet), else
/// `broken: <why>`.
pub fn status_text(status: &HostStatus, key: &KeyFacts<'_>) -> String {
    match status {
        HostStatus::Gone => {
            "broken: nothing of it runs (its processes and network namespace are gone; its files remain)".to_string()
        }
        HostStatus::Broken { reason } => format!("broken: {reason}"),
        HostStatus::Running => match (key.presented, key.recorded.or(key.key_file)) {
            (None, _) => "broken: its host key was not checked".to_string(),
            (Some(Err(error)), _) => format!("broken: sshd does not answer SSH ({error})"),
            (Some(Ok(_)), None) => "broken: its host key file is missing".to_string(),
            (Some(Ok(presented)), Some(recorded)) if presented != recorded => {
                format!("broken: host key changed (sshd presents {presented}, the state records {recorded})")
            }
            (Some(Ok(_)), Some(_)) => RUNNING.to_string(),
        },
    }
}

/// Plans `config` against `prior` (`None`: create).
pub fn plan(settings: &Settings, prior: Option<&Value>, config: &Value) -> Result<PlanResponse, ProviderError> {
    let checked = HostConfig::check(config)?;
    let Some(prior) = prior else {
        let mut entries = common(settings, Some(checked.instance_type));
        let unknown = || Value::Unknown(Type::String);
        entries.insert("id".into(), unknown());
        entries.insert("private_ip".into(), unknown());
        entries.insert("ssh_host_key_fingerprint".into(), unknown());
        entries.insert("hostname".into(), checked.hostname.unwrap_or_else(unknown));
        entries.insert("instance_type".into(), Value::from(checked.instance_type.name));
        entries.insert("isolation".into(), Value::from(checked.isolation.name()));
        entries.insert("status".into(), Value::from(RUNNING));
        return Ok(PlanResponse { planned: Value::Map(entries), requires_replace: Vec::new() });
    };
    let mut entries = prior.as_mapping().cloned().unwrap_or_default();
    let mut requires_replace = Vec::new();
    let configured = [
        ("instance_type", Value::from(checked.instance_type.name)),
        ("isolation", Value::from(checked.isolation.name())),
        ("hostname", checked.hostname.unwrap_or(Value::Null)),
    ];
    for (name, wanted) in configured {
        debug_assert!(FORCE_NEW.contains(&name));
        // Unset (the engine passes an unset optional+computed argument as unknown, like one
        // not known yet): keep what the host has.
        if !wanted.is_known() || wanted.is_null() {
            continue;
        }
        if entries.get(name) != Some(&wanted) {
            requires_replace.push(name.to_string());
            entries.insert(name.to_string(), wanted);
        }
    }
    // A host refresh found broken is repaired by replacing it.
    if entries.get("status").and_then(Value::as_str) != Some(RUNNING) {
        requires_replace.push("status".to_string());
    }
    let size = entries.get("instance_type").and_then(Value::as_str).and_then(instance_type);
    entries.extend(common(settings, size));
    Ok(PlanResponse { planned: Value::Map(entries), requires_replace })
}

/// What every host of these settings and size has.
fn common(settings: &Settings, size: Option<&InstanceType>) -> BTreeMap<String, Value> {
    let number = |value: Option<f64>| value.map_or(Value::Null, Value::from);
    BTreeMap::from([
        ("vcpus".to_string(), number(size.map(|size| f64::from(size.vcpus)))),
        ("memory_mib".to_string(), number(size.map(|size| size.memory_mib as f64))),
        ("status".to_string(), Value::from(RUNNING)),
        ("ssh_user".to_string(), Value::from(SSH_USER)),
        ("ssh_port".to_string(), Value::from(f64::from(SSH_PORT))),
        ("ssh_private_key_path".to_string(), Value::from(path_text(&settings.client_key_path()))),
        ("network".to_string(), Value::from(settings.network.as_str())),
    ])
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A top-level attribute, marks looked through; null when absent.
pub fn attribute<'v>(value: &'v Value, name: &str) -> &'v Value {
    value.as_mapping().and_then(|entries| entries.get(name)).map_or(&Value::Null, Value::peel)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use strata_plugin_protocol::WireValue;

    use super::*;

    /// One row of `testdata/local-provider/plan.json`: a configuration and a prior state
    /// (null: create), and either the planned value with the attributes forcing replacement
    /// or the error expected (its attribute and a part of its message).
    #[derive(Deserialize)]
    struct Case {
        name: String,
        config: WireValue,
        #[serde(default)]
        prior: Option<WireValue>,
        #[serde(default)]
        planned: Option<WireValue>,
        #[serde(default)]
        requires_replace: Vec<String>,
        #[serde(default)]
        error: Option<ExpectedError>,
    }

    #[derive(Deserialize)]
    struct ExpectedError {
        attribute: String,
        contains: String,
    }

    fn settings() -> Settings {
        Settings {
            subnet: None,
            state_dir: "/var/lib/strata/local".into(),
            auto_install: false,
            network: "project-0123456789".into(),
        }
    }

    #[test]
    fn plan_table() {
        let text = include_str!("../../../../testdata/local-provider/plan.json");
        let cases: Vec<Case> = serde_json::from_str(text).unwrap();
        let mut failures = Vec::new();
        for case in &cases {
            let result = plan(&settings(), case.prior.as_ref().map(|prior| &prior.0), &case.config.0);
            match (&case.error, result) {
                (None, Ok(response)) => {
                    let expected = &case.planned.as_ref().expect("a case without error has `planned`").0;
                    if &response.planned != expected {
                        failures.push(format!(
                            "{}: planned\n  {}\nexpected\n  {}",
                            case.name,
                            response.planned.to_hcl(),
                            expected.to_hcl()
                        ));
                    }
                    if response.requires_replace != case.requires_replace {
                        failures.push(format!("{}: requires_replace {:?}", case.name, response.requires_replace));
                    }
                }
                (Some(expected), Err(error)) => {
                    if error.attribute.as_deref() != Some(expected.attribute.as_str())
                        || !error.message.contains(&expected.contains)
                    {
                        failures.push(format!("{}: error {:?} {}", case.name, error.attribute, error.message));
                    }
                }
                (None, Err(error)) => failures.push(format!("{}: unexpected error {}", case.name, error.message)),
                (Some(_), Ok(response)) => {
                    failures.push(format!("{}: expected an error, planned {}", case.name, response.planned.to_hcl()))
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn status_table() {
        let (a, b) = ("SHA256:aaaa", "SHA256:bbbb");
        let running = HostStatus::Running;
        let key = |presented, recorded, key_file| KeyFacts { presented, recorded, key_file };
        let rows = [
            (&running, key(Some(Ok(a)), Some(a), Some(a)), "running"),
            (&running, key(Some(Ok(a)), None, Some(a)), "running"),
            (&running, key(Some(Ok(a)), Some(a), None), "running"),
            (
                &running,
                key(Some(Ok(b)), Some(a), Some(b)),
                "broken: host key changed (sshd presents SHA256:bbbb, the state records SHA256:aaaa)",
            ),
            (&running, key(Some(Err("timed out")), Some(a), Some(a)), "broken: sshd does not answer SSH (timed out)"),
            (&running, key(Some(Ok(a)), None, None), "broken: its host key file is missing"),
            (&running, key(None, Some(a), Some(a)), "broken: its host key was not checked"),
        ];
        for (status, key, expected) in rows {
            assert_eq!(status_text(status, &key), expected, "{key:?}");
        }
        let broken = HostStatus::Broken { reason: "its init (sshd) is not running".into() };
        assert_eq!(status_text(&broken, &KeyFacts::default()), "broken: its init (sshd) is not running");
        assert!(status_text(&HostStatus::Gone, &KeyFacts::default()).starts_with("broken: nothing of it runs"));
    }

    #[test]
    fn host_ids_are_short_stable_and_valid() {
        let id = host_id("550e8400-e29b-41d4-a716-446655440000");
        assert_eq!(id, host_id("550e8400-e29b-41d4-a716-446655440000"));
        assert_ne!(id, host_id("550e8400-e29b-41d4-a716-446655440001"));
        assert_eq!(id.len(), 13);
        assert!(crate::names::check_host_id(&id).is_ok());
        assert!(crate::names::check_hostname(&id).is_ok(), "the id is the default hostname");
    }

    #[test]
    fn a_state_value_plans_no_change() {
        let settings = settings();
        let facts = HostFacts {
            id: "h0123456789ab",
            hostname: "node-0",
            ip: "10.231.0.2".into(),
            instance_type: "local.c2m4",
            isolation: Isolation::Namespace,
            host_key_fingerprint: Some("SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI"),
            status: RUNNING.into(),
        };
        for isolation in Isolation::ALL {
            let state = state_value(&settings, &HostFacts { isolation, ..facts.clone() });
            let mut config = BTreeMap::new();
            config.insert("instance_type".to_string(), Value::from("local.c2m4"));
            config.insert("isolation".to_string(), Value::from(isolation.name()));
            config.insert("hostname".to_string(), Value::Null);
            let response = plan(&settings, Some(&state), &Value::Map(config)).unwrap();
            assert_eq!(response.planned, state, "{isolation}");
            assert!(response.requires_replace.is_empty(), "{isolation}");
        }
    }
}
