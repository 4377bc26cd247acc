//! The saved plan file (`strata plan --out FILE`, `strata apply FILE`).
//!
//! Format `{"format": "strata-plan", "version": 1, ...}`, one reader per version. Values are
//! JSON with three tagged forms so nothing is ambiguous: `{"$unknown": true}`,
//! `{"$set": [...]}` and `{"$map": {...}}` (maps are always tagged, so user keys can never
//! collide with the tags). Unknowns do not keep their type: apply plans each change again
//! with the final values and needs none. Sensitive values are NOT stored: they become
//! `{"$sensitive": true}` and apply re-evaluates the configuration, so a plan file never holds
//! a secret. Variable values are stored as SHA-256 digests only: apply resolves them again and
//! refuses to go on if any differs, as it refuses when the configuration or the state changed.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value as Json, json};
use strata_addrs::{AbsResourceAddr, ProviderConfigAddr, ResourceInstanceAddr};
use strata_value::{Type, Value};

use crate::{Action, ActionReason, Move, OutputChange, Plan, PlanMode, ReconcileKind, Reconciliation, ResourceChange};

pub const FORMAT: &str = "strata-plan";
pub const VERSION: u64 = 1;

/// A plan with what it was made from.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanFile {
    pub plan: Plan,
    /// SHA-256 of the configuration files, in a stable order.
    pub config_digest: String,
    /// SHA-256 of each root variable's value.
    pub variable_digests: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error("cannot read plan file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path} is not a Strata plan file: {message}")]
    Invalid { path: String, message: String },
    #[error(
        "{path} is a plan file of version {found}, but this Strata reads version {VERSION}; make the plan again with this version"
    )]
    UnsupportedVersion { path: String, found: u64 },
}

pub fn to_bytes(file: &PlanFile) -> Vec<u8> {
    let plan = &file.plan;
    let document = json!({
        "format": FORMAT,
        "version": VERSION,
        "mode": mode_name(plan.mode),
        "prior_lineage": plan.prior_lineage,
        "prior_serial": plan.prior_serial,
        "config_digest": file.config_digest,
        "variable_digests": file.variable_digests,
        "changes": plan.changes.iter().map(encode_change).collect::<Vec<_>>(),
        "drift": plan.drift.iter().map(encode_change).collect::<Vec<_>>(),
        "outputs": plan.outputs.iter().map(|o| json!({
            "name": o.name,
            "action": o.action.name(),
            "before": o.before.as_ref().map(encode),
            "after": o.after.as_ref().map(encode),
            "sensitive": o.sensitive,
        })).collect::<Vec<_>>(),
        "reconciled": plan.reconciled.iter().map(|r| json!({
            "address": r.addr.to_string(),
            "provider": r.provider.to_string(),
            "found": r.found.as_ref().map(encode),
            "kind": match r.kind { ReconcileKind::InterruptedCreate => "interrupted_create", ReconcileKind::Import => "import" },
        })).collect::<Vec<_>>(),
        "moved": plan.moved.iter().map(|m| json!({ "from": m.from.to_string(), "to": m.to.to_string() })).collect::<Vec<_>>(),
    });
    let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

pub fn write(path: &Path, file: &PlanFile) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, to_bytes(file))?;
    std::fs::rename(&tmp, path)
}

pub fn read(path: &Path) -> Result<PlanFile, PlanFileError> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| PlanFileError::Io { path: display.clone(), source })?;
    from_bytes(&bytes, &display)
}

pub fn from_bytes(bytes: &[u8], path: &str) -> Result<PlanFile, PlanFileError> {
    let invalid = |message: String| PlanFileError::Invalid { path: path.to_owned(), message };
    let document: Json = serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;
    if document.get("format").and_then(Json::as_str) != Some(FORMAT) {
        return Err(invalid("the \"format\" field is missing or not \"strata-plan\"".into()));
    }
    match document.get("version").and_then(Json::as_u64) {
        Some(VERSION) => read_v1(&document).map_err(invalid),
        Some(found) => Err(PlanFileError::UnsupportedVersion { path: path.to_owned(), found }),
        None => Err(invalid("the \"version\" field is missing".into())),
    }
}

fn read_v1(document: &Json) -> Result<PlanFile, String> {
    let text =
        |key: &str| document.get(key).and_then(Json::as_str).map(str::to_owned).ok_or(format!("\"{key}\" is missing"));
    let list = |key: &str| document.get(key).and_then(Json::as_array).cloned().unwrap_or_default();
    let mode = match text("mode")?.as_str() {
        "normal" => PlanMode::Normal,
        "destroy" => PlanMode::Destroy,
        "refresh-only" => PlanMode::RefreshOnly,
        other => return Err(format!("unknown mode \"{other}\"")),
    };
    let changes = list("changes").iter().map(decode_change).collect::<Result<Vec<_>, _>>()?;
    let drift = list("drift").iter().map(decode_change).collect::<Result<Vec<_>, _>>()?;
    let outputs = list("outputs")
        .iter()
        .map(|o| {
            Ok(OutputChange {
                name: o.get("name").and_then(Json::as_str).ok_or("output without name")?.to_owned(),
                action: action(o.get("action").and_then(Json::as_str).unwrap_or(""))?,
                before: o.get("before").filter(|v| !v.is_null()).map(decode),
                after: o.get("after").filter(|v| !v.is_null()).map(decode),
                sensitive: o.get("sensitive").and_then(Json::as_bool).unwrap_or(false),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let reconciled = list("reconciled")
        .iter()
        .map(|r| {
            Ok(Reconciliation {
                addr: parse(r.get("address"))?,
                provider: parse(r.get("provider"))?,
                found: r.get("found").filter(|v| !v.is_null()).map(decode),
                kind: match r.get("kind").and_then(Json::as_str) {
                    Some("import") => ReconcileKind::Import,
                    _ => ReconcileKind::InterruptedCreate,
                },
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let moved = list("moved")
        .iter()
        .map(|m| Ok(Move { from: parse(m.get("from"))?, to: parse(m.get("to"))? }))
        .collect::<Result<Vec<_>, String>>()?;
    let variable_digests = document
        .get("variable_digests")
        .and_then(Json::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default();
    Ok(PlanFile {
        plan: Plan {
            mode,
            prior_lineage: text("prior_lineage")?,
            prior_serial: document.get("prior_serial").and_then(Json::as_u64).ok_or("\"prior_serial\" is missing")?,
            changes,
            drift,
            outputs,
            reconciled,
            moved,
        },
        config_digest: text("config_digest")?,
        variable_digests,
    })
}

fn encode_change(change: &ResourceChange) -> Json {
    json!({
        "address": change.addr.to_string(),
        "provider": change.provider.to_string(),
        "action": change.action.name(),
        "before": change.before.as_ref().map(encode),
        "after": change.after.as_ref().map(encode),
        "replace_paths": change.replace_paths,
        "reason": change.reason.as_ref().map(reason_name),
        "reason_detail": match &change.reason {
            Some(ActionReason::ReplaceBecauseCannotUpdate(attrs)) => json!(attrs),
            Some(ActionReason::ReplaceTriggeredBy(what)) => json!(what),
            _ => Json::Null,
        },
        "dependencies": change.dependencies.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "create_before_destroy": change.create_before_destroy,
    })
}

fn decode_change(json: &Json) -> Result<ResourceChange, String> {
    let reason = match json.get("reason").and_then(Json::as_str) {
        None => None,
        Some(name) => Some(match name {
            "tainted" => ActionReason::Tainted,
            "replace_requested" => ActionReason::ReplaceRequested,
            "cannot_update" => ActionReason::ReplaceBecauseCannotUpdate(
                json.get("reason_detail")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            ),
            "replace_triggered_by" => ActionReason::ReplaceTriggeredBy(
                json.get("reason_detail").and_then(Json::as_str).unwrap_or_default().to_owned(),
            ),
            "no_resource_config" => ActionReason::NoResourceConfig,
            "no_instance_key" => ActionReason::NoInstanceKey,
            "no_module_instance" => ActionReason::NoModuleInstance,
            "destroy_mode" => ActionReason::DestroyMode,
            "interrupted_create" => ActionReason::InterruptedCreate,
            "transient" => ActionReason::Transient,
            "deposed" => ActionReason::Deposed,
            other => return Err(format!("unknown reason \"{other}\"")),
        }),
    };
    Ok(ResourceChange {
        addr: parse::<ResourceInstanceAddr>(json.get("address"))?,
        provider: parse::<ProviderConfigAddr>(json.get("provider"))?,
        action: action(json.get("action").and_then(Json::as_str).unwrap_or(""))?,
        before: json.get("before").filter(|v| !v.is_null()).map(decode),
        after: json.get("after").filter(|v| !v.is_null()).map(decode),
        replace_paths: json
            .get("replace_paths")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        reason,
        dependencies: json
            .get("dependencies")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .map(|v| parse::<AbsResourceAddr>(Some(v)))
            .collect::<Result<_, _>>()?,
        create_before_destroy: json.get("create_before_destroy").and_then(Json::as_bool).unwrap_or(false),
    })
}

fn parse<T: std::str::FromStr>(json: Option<&Json>) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    let text = json.and_then(Json::as_str).ok_or("an address is missing")?;
    text.parse().map_err(|e: T::Err| e.to_string())
}

fn action(name: &str) -> Result<Action, String> {
    [
        Action::NoOp,
        Action::Create,
        Action::Read,
        Action::Update,
        Action::DeleteThenCreate,
        Action::CreateThenDelete,
        Action::Delete,
    ]
    .into_iter()
    .find(|a| a.name() == name)
    .ok_or(format!("unknown action \"{name}\""))
}

fn reason_name(reason: &ActionReason) -> &'static str {
    match reason {
        ActionReason::Tainted => "tainted",
        ActionReason::ReplaceRequested => "replace_requested",
        ActionReason::ReplaceBecauseCannotUpdate(_) => "cannot_update",
        ActionReason::ReplaceTriggeredBy(_) => "replace_triggered_by",
        ActionReason::NoResourceConfig => "no_resource_config",
        ActionReason::NoInstanceKey => "no_instance_key",
        ActionReason::NoModuleInstance => "no_module_instance",
        ActionReason::DestroyMode => "destroy_mode",
        ActionReason::InterruptedCreate => "interrupted_create",
        ActionReason::Transient => "transient",
        ActionReason::Deposed => "deposed",
    }
}

fn mode_name(mode: PlanMode) -> &'static str {
    match mode {
        PlanMode::Normal => "normal",
        PlanMode::Destroy => "destroy",
        PlanMode::RefreshOnly => "refresh-only",
    }
}

/// A value in the file's tagged JSON; sensitive parts are dropped.
pub fn encode(value: &Value) -> Json {
    match value {
        Value::Sensitive(_) => json!({ "$sensitive": true }),
        Value::Unknown(_) => json!({ "$unknown": true }),
        Value::Set(items) => json!({ "$set": items.iter().map(encode).collect::<Vec<_>>() }),
        Value::List(items) => Json::Array(items.iter().map(encode).collect()),
        Value::Map(entries) => {
            json!({ "$map": entries.iter().map(|(k, v)| (k.clone(), encode(v))).collect::<Map<_, _>>() })
        }
        other => strata_value::to_json(other),
    }
}

/// The inverse of [`encode`]; a dropped sensitive value comes back as a sensitive unknown.
pub fn decode(json: &Json) -> Value {
    match json {
        Json::Array(items) => Value::List(items.iter().map(decode).collect()),
        Json::Object(object) => {
            if object.contains_key("$unknown") {
                Value::Unknown(Type::Any)
            } else if object.contains_key("$sensitive") {
                Value::Unknown(Type::Any).mark_sensitive()
            } else if let Some(Json::Array(items)) = object.get("$set") {
                Value::set(items.iter().map(decode))
            } else if let Some(Json::Object(entries)) = object.get("$map") {
                Value::Map(entries.iter().map(|(k, v)| (k.clone(), decode(v))).collect())
            } else {
                strata_value::from_json(json)
            }
        }
        other => strata_value::from_json(other),
    }
}
