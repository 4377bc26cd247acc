//! Checks on what providers answer. A provider may be buggy, or a plugin from elsewhere: its
//! plan must keep every configured argument as configured, and what it makes must be what it
//! planned. A violation is an error naming the provider, the resource, the attribute and both
//! values (sensitive ones redacted, by mark or by schema).

use std::collections::BTreeMap;

use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
use strata_diagnostics::Diagnostic;
use strata_schema::{BlockSchema, Nesting};
use strata_value::Value;

const REDACTED: &str = "(sensitive value)";

/// `"test"`, `"test.second"`: how diagnostics name a provider configuration.
pub(crate) fn provider_name(provider: &ProviderConfigAddr) -> String {
    match &provider.alias {
        Some(alias) => format!("\"{}.{alias}\"", provider.name),
        None => format!("\"{}\"", provider.name),
    }
}

/// `provider "test"`.
pub(crate) fn provider_label(provider: &ProviderConfigAddr) -> String {
    format!("provider {}", provider_name(provider))
}

/// Where two values differ, rendered for users.
#[derive(Debug, PartialEq)]
struct Difference {
    path: String,
    expected: String,
    actual: String,
}

/// The provider's planned value against the configuration it was given: every argument the
/// provider does not compute (required, or optional and not computed) must be planned as
/// configured wherever the configuration is known; an optional+computed argument may be
/// filled in only where the configuration leaves it null. Nested blocks are checked by their
/// schema.
pub(crate) fn check_plan_valid(
    schema: &BlockSchema,
    config: &Value,
    planned: &Value,
    provider: &ProviderConfigAddr,
    addr: &ResourceInstanceAddr,
) -> Result<(), Diagnostic> {
    // Sensitivity marks only decide what the message may show, never whether values differ:
    // compare as they are, and mark (copying both values) only to describe a difference.
    let mut path = String::new();
    if block_difference(schema, config, planned, &mut path, false).is_none() {
        return Ok(());
    }
    let (config, planned) = (mark_by_schema(schema, config), mark_by_schema(schema, planned));
    path.clear();
    let Some(bad) = block_difference(schema, &config, &planned, &mut path, false) else { return Ok(()) };
    Err(Diagnostic::error(
        "Provider produced invalid plan",
        format!(
            "{} planned {} of {addr} as {}, but the configuration sets {}. A provider must plan every argument it does not compute exactly as configured; this is a bug in the provider.",
            provider_label(provider),
            quoted_path(&bad.path),
            bad.actual,
            bad.expected,
        ),
    )
    .with_hint(format!("report it to the authors of {}", provider_label(provider))))
}

/// Which later answer is compared with an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Consistency {
    /// The plan made again during apply, against the plan that was approved.
    FinalPlan,
    /// The object apply returned, against its final plan.
    Result,
}

/// Every attribute known in `expected` must be equal in `actual` (unknowns in `expected` match
/// anything; attributes `actual` adds are not compared).
pub(crate) fn check_consistent(
    schema: Option<&BlockSchema>,
    expected: &Value,
    actual: &Value,
    provider: &ProviderConfigAddr,
    addr: &ResourceInstanceAddr,
    kind: Consistency,
) -> Result<(), Diagnostic> {
    // As in `check_plan_valid`: mark only to describe a difference found without marks.
    let mut path = String::new();
    if value_difference(expected, actual, &mut path, false, false).is_none() {
        return Ok(());
    }
    let (expected, actual) = match schema {
        Some(schema) => (mark_by_schema(schema, expected), mark_by_schema(schema, actual)),
        None => (expected.clone(), actual.clone()),
    };
    path.clear();
    let Some(bad) = value_difference(&expected, &actual, &mut path, false, false) else { return Ok(()) };
    let provider = provider_label(provider);
    let attribute = quoted_path(&bad.path);
    let (summary, detail) = match kind {
        Consistency::FinalPlan => (
            "Provider produced inconsistent final plan",
            format!(
                "When planned again with the final values, {provider} planned {attribute} of {addr} as {}, but the approved plan said {}. This is a bug in the provider: its answers must agree with its plan.",
                bad.actual, bad.expected
            ),
        ),
        Consistency::Result => (
            "Provider produced inconsistent result after apply",
            format!(
                "After applying, {provider} returned {attribute} of {addr} as {}, but its plan said {}. This is a bug in the provider: its answers must agree with its plan.",
                bad.actual, bad.expected
            ),
        ),
    };
    Err(Diagnostic::error(summary, detail).with_hint(format!("report it to the authors of {provider}")))
}

fn quoted_path(path: &str) -> String {
    if path.is_empty() { "the whole object".to_owned() } else { format!("\"{path}\"") }
}

/// `value` with every attribute the schema calls sensitive marked so, however the provider
/// sent it, so no difference in it is ever shown.
fn mark_by_schema(schema: &BlockSchema, value: &Value) -> Value {
    let sensitive = value.is_sensitive();
    let Value::Map(entries) = value.peel() else { return value.clone() };
    let mut out = BTreeMap::new();
    for (name, item) in entries {
        let marked = if let Some(attribute) = schema.attributes.get(name) {
            item.clone().with_sensitive(attribute.sensitive)
        } else if let Some(nested) = schema.blocks.get(name) {
            match (nested.nesting, item.peel()) {
                (Nesting::Single, _) => mark_by_schema(&nested.block, item),
                (Nesting::List, Value::List(items)) => {
                    Value::List(items.iter().map(|i| mark_by_schema(&nested.block, i)).collect())
                        .with_sensitive(item.is_sensitive())
                }
                (Nesting::Map, Value::Map(blocks)) => {
                    Value::Map(blocks.iter().map(|(k, b)| (k.clone(), mark_by_schema(&nested.block, b))).collect())
                        .with_sensitive(item.is_sensitive())
                }
                _ => item.clone(),
            }
        } else {
            item.clone()
        };
        out.insert(name.clone(), marked);
    }
    Value::Map(out).with_sensitive(sensitive)
}

/// The first difference between a configured block and its planned value, by schema.
fn block_difference(
    schema: &BlockSchema,
    config: &Value,
    planned: &Value,
    path: &mut String,
    sensitive: bool,
) -> Option<Difference> {
    let sensitive = sensitive || config.is_sensitive() || planned.is_sensitive();
    let config_entries = match config.peel() {
        Value::Unknown(_) => return None,
        Value::Null => {
            return (!planned.is_null()).then(|| difference(config, planned, path, sensitive));
        }
        Value::Map(entries) => entries,
        // Not an object: evaluation made it, so it cannot happen; compare as plain values.
        _ => return value_difference(config, planned, path, sensitive, true),
    };
    let Value::Map(planned_entries) = planned.peel() else {
        return Some(difference(config, planned, path, sensitive));
    };
    let null = Value::Null;
    for (name, attribute) in &schema.attributes {
        if !attribute.is_argument() {
            continue; // computed only: the provider decides
        }
        let configured = config_entries.get(name).unwrap_or(&null);
        if attribute.computed && configured.is_null() {
            continue; // optional+computed, left unset: the provider may fill it in
        }
        let found = with_step(path, name, |path| {
            let value = planned_entries.get(name).unwrap_or(&null);
            value_difference(configured, value, path, sensitive, true)
        });
        if found.is_some() {
            return found;
        }
    }
    for (name, nested) in &schema.blocks {
        let configured = config_entries.get(name).unwrap_or(&null);
        let value = planned_entries.get(name).unwrap_or(&null);
        let found = with_step(path, name, |path| {
            let sensitive = sensitive || configured.is_sensitive() || value.is_sensitive();
            match (nested.nesting, configured.peel(), value.peel()) {
                (Nesting::Single, _, _) => block_difference(&nested.block, configured, value, path, sensitive),
                (_, Value::Unknown(_), _) => None,
                (Nesting::List, Value::List(a), Value::List(b)) if a.len() == b.len() => {
                    a.iter().zip(b).enumerate().find_map(|(i, (x, y))| {
                        let len = path.len();
                        path.push_str(&format!("[{i}]"));
                        let found = block_difference(&nested.block, x, y, path, sensitive);
                        path.truncate(len);
                        found
                    })
                }
                (Nesting::Map, Value::Map(a), Value::Map(b)) if a.keys().eq(b.keys()) => {
                    a.iter().find_map(|(key, x)| {
                        let len = path.len();
                        path.push_str(&format!("[{}]", Value::from(key.as_str()).to_hcl()));
                        let found = block_difference(&nested.block, x, &b[key], path, sensitive);
                        path.truncate(len);
                        found
                    })
                }
                (_, a, b) if a == b => None,
                _ => Some(difference(configured, value, path, sensitive)),
            }
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The first place `actual` differs from `expected`; unknowns in `expected` match anything.
/// With `strict`, entries `actual` adds to a map are differences too.
fn value_difference(
    expected: &Value,
    actual: &Value,
    path: &mut String,
    sensitive: bool,
    strict: bool,
) -> Option<Difference> {
    let sensitive = sensitive || expected.is_sensitive() || actual.is_sensitive();
    match (expected.peel(), actual.peel()) {
        (Value::Unknown(_), _) => None,
        (Value::Map(a), Value::Map(b)) => {
            let null = Value::Null;
            let added = b.iter().filter(|(k, v)| strict && !a.contains_key(*k) && !v.is_null());
            let keys = a.keys().chain(added.map(|(k, _)| k));
            for key in keys {
                let (x, y) = (a.get(key).unwrap_or(&null), b.get(key).unwrap_or(&null));
                let found = with_step(path, key, |path| value_difference(x, y, path, sensitive, strict));
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        // Sets compare as wholes (elements have no stable position); one with unknown
        // elements cannot be compared yet.
        (Value::Set(a), Value::Set(b)) => {
            let keys = |items: &[Value]| {
                let mut keys: Vec<String> = items.iter().map(Value::canonical_key).collect();
                keys.sort();
                keys
            };
            let comparable = a.iter().all(Value::is_wholly_known);
            (comparable && keys(a) != keys(b)).then(|| difference(expected, actual, path, sensitive))
        }
        (Value::List(a), Value::List(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = value_difference(x, y, path, sensitive, strict);
                path.truncate(len);
                found
            })
        }
        (a, b) if a == b => None,
        _ => Some(difference(expected, actual, path, sensitive)),
    }
}

fn difference(expected: &Value, actual: &Value, path: &str, sensitive: bool) -> Difference {
    let render = |v: &Value| if sensitive { REDACTED.to_owned() } else { v.to_hcl() };
    Difference { path: path.to_owned(), expected: render(expected), actual: render(actual) }
}

/// Runs `f` with `name` appended to `path` (`a.b`, or `a["not an identifier"]`).
fn with_step<T>(path: &mut String, name: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = path.len();
    strata_plan::attribute_path::push(path, name);
    let found = f(path);
    path.truncate(len);
    found
}

#[cfg(test)]
mod tests {
    use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
    use strata_schema::{AttributeSchema as A, BlockSchema, Nesting};
    use strata_value::{Type, Value};

    use super::{Consistency, check_consistent, check_plan_valid};

    fn schema() -> BlockSchema {
        let rule = BlockSchema::new()
            .attribute("port", A::required(Type::Number, ""))
            .attribute("note", A::computed(Type::String, ""));
        BlockSchema::new()
            .attribute("name", A::required(Type::String, ""))
            .attribute("tags", A::optional(Type::map(Type::String), ""))
            .attribute("size", A { computed: true, ..A::optional(Type::Number, "") })
            .attribute("password", A::optional(Type::String, "").sensitive())
            .attribute("id", A::computed(Type::String, ""))
            .attribute("ports", A::optional(Type::set(Type::Number), ""))
            .block("rule", Nesting::List, 0, "", rule.clone())
            .block("named", Nesting::Map, 0, "", rule.clone())
            .block("single", Nesting::Single, 0, "", rule)
    }

    fn object(entries: &[(&str, Value)]) -> Value {
        Value::map(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())))
    }

    fn rule(port: f64, note: Value) -> Value {
        object(&[("port", Value::from(port)), ("note", note)])
    }

    fn config() -> Value {
        object(&[
            ("name", Value::from("a")),
            ("tags", object(&[("k", Value::from("v"))])),
            ("size", Value::Null),
            ("password", Value::from("hunter2").mark_sensitive()),
            ("id", Value::Unknown(Type::String)),
            ("ports", Value::set([Value::from(1.0), Value::from(2.0)])),
            ("rule", Value::List(vec![rule(22.0, Value::Unknown(Type::String))])),
            ("named", object(&[("web", rule(80.0, Value::Unknown(Type::String)))])),
            ("single", Value::Null),
        ])
    }

    fn with(value: &Value, name: &str, replacement: Value) -> Value {
        let mut entries = value.as_mapping().unwrap().clone();
        entries.insert(name.to_owned(), replacement);
        Value::Map(entries)
    }

    /// The planned value's first problem, as the detail of the diagnostic.
    fn check(planned: Value) -> Option<String> {
        let addr: ResourceInstanceAddr = "test_thing.a".parse().unwrap();
        check_plan_valid(&schema(), &config(), &planned, &ProviderConfigAddr::default_for("test"), &addr)
            .err()
            .map(|d| d.detail)
    }

    #[test]
    fn planned_values_must_keep_configured_arguments() {
        let honest = with(&with(&config(), "size", Value::from(3.0)), "id", Value::from("i-1"));
        let honest = with(&honest, "rule", Value::List(vec![rule(22.0, Value::from("filled"))]));
        // The password comes back without its mark: still equal, since marks are not values.
        let honest = with(&honest, "password", Value::from("hunter2"));
        // A set's elements in another order are the same set.
        let honest = with(&honest, "ports", Value::Set(vec![Value::from(2.0), Value::from(1.0)]));
        assert_eq!(check(honest.clone()), None);
        // Unknown configuration matches anything.
        let addr: ResourceInstanceAddr = "test_thing.a".parse().unwrap();
        let provider = ProviderConfigAddr::default_for("test");
        let unknown_name = with(&config(), "name", Value::Unknown(Type::String));
        assert!(check_plan_valid(&schema(), &unknown_name, &honest, &provider, &addr).is_ok());

        let cases = [
            (
                with(&honest, "name", Value::from("b")),
                "planned \"name\" of test_thing.a as \"b\", but the configuration sets \"a\"",
            ),
            (
                with(&honest, "name", Value::Unknown(Type::String)),
                "\"name\" of test_thing.a as (known after apply), but the configuration sets \"a\"",
            ),
            (
                with(&honest, "tags", object(&[("k", Value::from("v")), ("extra", Value::from("x"))])),
                "\"tags.extra\" of test_thing.a as \"x\", but the configuration sets null",
            ),
            (
                with(&honest, "password", Value::from("swordfish")),
                "\"password\" of test_thing.a as (sensitive value), but the configuration sets (sensitive value)",
            ),
            (
                with(&honest, "rule", Value::List(vec![rule(23.0, Value::Null)])),
                "\"rule[0].port\" of test_thing.a as 23",
            ),
            (with(&honest, "rule", Value::List(vec![])), "\"rule\" of test_thing.a as []"),
            (
                with(&honest, "ports", Value::set([Value::from(1.0), Value::from(3.0)])),
                "\"ports\" of test_thing.a as [1, 3], but the configuration sets [1, 2]",
            ),
            (
                with(&honest, "named", object(&[("web", rule(81.0, Value::Null))])),
                "\"named[\"web\"].port\" of test_thing.a as 81",
            ),
            (
                with(&honest, "single", rule(1.0, Value::Null)),
                "\"single\" of test_thing.a as { \"note\" = null, \"port\" = 1 }, but the configuration sets null",
            ),
            (Value::Null, "planned the whole object of test_thing.a as null"),
        ];
        for (planned, want) in cases {
            let got = check(planned).unwrap_or_default();
            assert!(got.contains(want) && got.starts_with("provider \"test\" planned"), "want {want}\n got {got}");
            assert!(!got.contains("swordfish") && !got.contains("hunter2"), "{got}");
        }
    }

    #[test]
    fn results_must_match_their_plan_and_never_show_secrets() {
        let addr: ResourceInstanceAddr = "test_thing.a".parse().unwrap();
        let provider = ProviderConfigAddr { name: "test".into(), alias: Some("second".into()) };
        let planned = with(&config(), "size", Value::Unknown(Type::Number));
        let applied = with(&with(&planned, "size", Value::from(2.0)), "id", Value::from("i-1"));
        assert!(check_consistent(Some(&schema()), &planned, &applied, &provider, &addr, Consistency::Result).is_ok());

        // The provider dropped the mark and changed the value: redacted by schema.
        let leaked = with(&applied, "password", Value::from("swordfish"));
        let d =
            check_consistent(Some(&schema()), &planned, &leaked, &provider, &addr, Consistency::Result).unwrap_err();
        assert_eq!(d.summary, "Provider produced inconsistent result after apply");
        assert!(d.detail.contains("provider \"test.second\" returned \"password\" of test_thing.a as (sensitive value), but its plan said (sensitive value)"), "{}", d.detail);
        assert!(!d.detail.contains("swordfish") && !d.detail.contains("hunter2"));

        let renamed = with(&applied, "name", Value::from("b"));
        let d = check_consistent(Some(&schema()), &planned, &renamed, &provider, &addr, Consistency::FinalPlan)
            .unwrap_err();
        assert_eq!(d.summary, "Provider produced inconsistent final plan");
        assert!(
            d.detail.contains(
                "provider \"test.second\" planned \"name\" of test_thing.a as \"b\", but the approved plan said \"a\""
            ),
            "{}",
            d.detail
        );
    }
}
