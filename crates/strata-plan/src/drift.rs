//! The drift report `strata drift --json` prints: what changed outside Strata, per object and
//! per attribute, for a CI job to keep (documented in docs/formats.md). Stable like the plan's
//! JSON: fields are added, never renamed; `format_version` changes when a meaning changes.
//!
//! ```json
//! {"format": "strata-drift", "format_version": "1.0",
//!  "state": {"lineage": "…", "serial": 7}, "drifted": 1,
//!  "objects": [{"address": "emr_cluster.a", "provider": "provider[\"emr\"]", "kind": "changed",
//!               "attributes": [{"path": "status", "before": "RUNNING", "after": "DEGRADED"}]}]}
//! ```
//!
//! `kind` is `changed` (the object is there, some attributes differ) or `deleted` (it is
//! gone). Sensitive values are never written: such an attribute has `"sensitive": true` and
//! `null` values. Paths use the plan's attribute syntax (`a.b`, `m["key"]`, `l[0]`).

use serde_json::{Value as Json, json};
use strata_value::Value;

use crate::json::redacted;
use crate::{Action, Plan};

pub const FORMAT_VERSION: &str = "1.0";

/// The report of `plan`'s drift section.
pub fn report(plan: &Plan) -> Json {
    let objects: Vec<Json> = plan
        .drift
        .iter()
        .map(|change| {
            let deleted = change.action == Action::Delete || change.after.is_none();
            let mut attributes = Vec::new();
            if !deleted && let (Some(before), Some(after)) = (&change.before, &change.after) {
                differences(before, after, &mut String::new(), false, &mut attributes);
            }
            json!({
                "address": change.addr.to_string(),
                "provider": change.provider.to_string(),
                "kind": if deleted { "deleted" } else { "changed" },
                "attributes": attributes,
            })
        })
        .collect();
    json!({
        "format": "strata-drift",
        "format_version": FORMAT_VERSION,
        "state": { "lineage": plan.prior_lineage, "serial": plan.prior_serial },
        "drifted": objects.len(),
        "objects": objects,
    })
}

/// Every leaf where `after` differs from `before`, in path order.
fn differences(before: &Value, after: &Value, path: &mut String, sensitive: bool, out: &mut Vec<Json>) {
    let sensitive = sensitive || before.is_sensitive() || after.is_sensitive();
    match (before.peel(), after.peel()) {
        (Value::Map(a), Value::Map(b)) => {
            let null = Value::Null;
            let mut keys: Vec<&String> = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))).collect();
            keys.sort();
            for key in keys {
                let len = path.len();
                crate::attribute_path::push(path, key);
                differences(a.get(key).unwrap_or(&null), b.get(key).unwrap_or(&null), path, sensitive, out);
                path.truncate(len);
            }
        }
        (Value::List(a), Value::List(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                differences(x, y, path, sensitive, out);
                path.truncate(len);
            }
        }
        (a, b) if a == b => {}
        _ => out.push(if sensitive {
            json!({ "path": path.clone(), "before": null, "after": null, "sensitive": true })
        } else {
            json!({ "path": path.clone(), "before": redacted(before), "after": redacted(after) })
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};

    use super::*;
    use crate::{PlanMode, ResourceChange};

    fn object(entries: &[(&str, Value)]) -> Value {
        Value::Map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<BTreeMap<_, _>>())
    }

    fn drift(addr: &str, action: Action, before: Value, after: Option<Value>) -> ResourceChange {
        ResourceChange {
            addr: addr.parse::<ResourceInstanceAddr>().unwrap(),
            provider: ProviderConfigAddr::implied_by_type(addr.split('.').next().unwrap()),
            action,
            before: Some(before),
            after,
            replace_paths: Vec::new(),
            reason: None,
            dependencies: Vec::new(),
            create_before_destroy: false,
        }
    }

    /// The report of a cluster with a dead service, a changed secret and a host gone, against
    /// `testdata/drift/report.json` (golden: the format is what CI jobs keep).
    #[test]
    fn report_matches_the_golden_file() {
        let status = |w1: &str| {
            object(&[("core-0/spark-worker", Value::from("running")), ("core-1/spark-worker", Value::from(w1))])
        };
        let cluster = |w1: &str, secret: &str, hosts: usize| {
            object(&[
                ("id", Value::from("c1")),
                ("services_status", status(w1)),
                ("password", Value::from(secret).with_sensitive(true)),
                ("hosts", Value::List((0..hosts).map(|i| Value::from(format!("h{i}"))).collect())),
            ])
        };
        let plan = Plan {
            mode: PlanMode::RefreshOnly,
            prior_lineage: "3d1f0c2e-0000-4000-8000-000000000001".into(),
            prior_serial: 7,
            changes: Vec::new(),
            drift: vec![
                drift(
                    "emr_cluster.analytics",
                    Action::Update,
                    cluster("running", "a", 2),
                    Some(cluster("stopped", "b", 2)),
                ),
                drift("local_host.spare", Action::Delete, object(&[("id", Value::from("h9"))]), None),
            ],
            outputs: Vec::new(),
            reconciled: Vec::new(),
            moved: Vec::new(),
        };
        let text = serde_json::to_string_pretty(&report(&plan)).unwrap() + "\n";
        let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/drift/report.json");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &text).unwrap();
        }
        assert_eq!(text, std::fs::read_to_string(&golden).unwrap(), "UPDATE_GOLDEN=1 rewrites {}", golden.display());
        assert!(!text.contains("\"a\"") && !text.contains("\"b\""), "no secret in the report");
    }

    #[test]
    fn no_drift_is_an_empty_report() {
        let plan = Plan {
            mode: PlanMode::RefreshOnly,
            prior_lineage: "l".into(),
            prior_serial: 1,
            changes: Vec::new(),
            drift: Vec::new(),
            outputs: Vec::new(),
            reconciled: Vec::new(),
            moved: Vec::new(),
        };
        let report = report(&plan);
        assert_eq!(report["drifted"], 0);
        assert_eq!(report["objects"], json!([]));
    }
}
