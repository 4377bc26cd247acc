//! The `--json` form of a plan (documented in docs/json-formats.md). Stable: fields are
//! added, never renamed; `format_version` changes when a meaning changes.
//!
//! Values are plain JSON. Two masks, shaped like the value, say where parts are unknown
//! (`after_unknown`) or sensitive (`before_sensitive`, `after_sensitive`): unknown parts are
//! `null` in the value and sensitive parts are replaced by `null` too, so secrets never
//! appear in the document.

use serde_json::{Map, Value as Json, json};
use strata_value::Value;

use crate::{Plan, PlanMode, ResourceChange};

pub const FORMAT_VERSION: &str = "1.0";

pub fn to_json(plan: &Plan) -> Json {
    json!({
        "format_version": FORMAT_VERSION,
        "mode": match plan.mode {
            PlanMode::Normal => "normal",
            PlanMode::Destroy => "destroy",
            PlanMode::RefreshOnly => "refresh-only",
        },
        "prior_state": { "lineage": plan.prior_lineage, "serial": plan.prior_serial },
        "resource_changes": plan.changes.iter().map(change).collect::<Vec<_>>(),
        "resource_drift": plan.drift.iter().map(change).collect::<Vec<_>>(),
        "output_changes": plan.outputs.iter().map(|o| json!({
            "name": o.name,
            "action": o.action.name(),
            "sensitive": o.sensitive,
            "before": o.before.as_ref().map_or(Json::Null, |v| if o.sensitive { Json::Null } else { redacted(v) }),
            "after": o.after.as_ref().map_or(Json::Null, |v| if o.sensitive { Json::Null } else { redacted(v) }),
            "after_unknown": o.after.as_ref().is_some_and(|v| !v.is_wholly_known()),
        })).collect::<Vec<_>>(),
        "moved": plan.moved.iter().map(|m| json!({ "from": m.from.to_string(), "to": m.to.to_string() })).collect::<Vec<_>>(),
        "imported": plan.reconciled.iter().filter(|r| r.kind == crate::ReconcileKind::Import).map(|r| r.addr.to_string()).collect::<Vec<_>>(),
        "summary": {
            "add": plan.counts().0,
            "change": plan.counts().1,
            "destroy": plan.counts().2,
            "has_changes": plan.has_changes(),
        },
    })
}

fn change(change: &ResourceChange) -> Json {
    let mut out = Map::new();
    out.insert("address".into(), Json::String(change.addr.to_string()));
    out.insert("provider".into(), Json::String(change.provider.to_string()));
    out.insert("action".into(), Json::String(change.action.name().into()));
    out.insert("before".into(), change.before.as_ref().map_or(Json::Null, redacted));
    out.insert("after".into(), change.after.as_ref().map_or(Json::Null, redacted));
    out.insert(
        "after_unknown".into(),
        change.after.as_ref().map_or(Json::Bool(false), |v| mask(v, &|v| matches!(v, Value::Unknown(_)))),
    );
    out.insert(
        "before_sensitive".into(),
        change.before.as_ref().map_or(Json::Bool(false), |v| mask(v, &Value::is_sensitive)),
    );
    out.insert(
        "after_sensitive".into(),
        change.after.as_ref().map_or(Json::Bool(false), |v| mask(v, &Value::is_sensitive)),
    );
    if !change.replace_paths.is_empty() {
        out.insert("replace_paths".into(), json!(change.replace_paths));
    }
    if let Some(reason) = &change.reason {
        out.insert("reason".into(), Json::String(reason.describe()));
    }
    Json::Object(out)
}

/// The value as JSON with unknown and sensitive parts as `null`.
pub fn redacted(value: &Value) -> Json {
    match value {
        Value::Sensitive(_) | Value::Unknown(_) | Value::Null => Json::Null,
        Value::List(items) | Value::Set(items) => Json::Array(items.iter().map(redacted).collect()),
        Value::Map(entries) => Json::Object(entries.iter().map(|(k, v)| (k.clone(), redacted(v))).collect()),
        other => strata_value::to_json(other),
    }
}

/// `true` where `at` holds; objects/arrays where something inside does; `false` elsewhere.
fn mask(value: &Value, at: &dyn Fn(&Value) -> bool) -> Json {
    if at(value) {
        return Json::Bool(true);
    }
    match value {
        Value::List(items) | Value::Set(items) if items.iter().any(|v| contains(v, at)) => {
            Json::Array(items.iter().map(|v| mask(v, at)).collect())
        }
        Value::Map(entries) => {
            let inner: Map<String, Json> =
                entries.iter().filter(|(_, v)| contains(v, at)).map(|(k, v)| (k.clone(), mask(v, at))).collect();
            if inner.is_empty() { Json::Bool(false) } else { Json::Object(inner) }
        }
        _ => Json::Bool(false),
    }
}

fn contains(value: &Value, at: &dyn Fn(&Value) -> bool) -> bool {
    at(value)
        || match value {
            Value::List(items) | Value::Set(items) => items.iter().any(|v| contains(v, at)),
            Value::Map(entries) => entries.values().any(|v| contains(v, at)),
            _ => false,
        }
}
