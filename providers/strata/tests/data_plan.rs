//! Plan table for `strata_data`: (prior, config) → (planned, requires_replace).

mod common;

use common::obj;
use strata_provider::{PlanRequest, Provider};
use strata_provider_strata::StrataProvider;
use strata_value::{Type, Value};

/// Configuration as the evaluator produces it: computed attributes unknown.
fn config(input: Value, triggers_replace: Value) -> Value {
    obj(&[
        ("input", input),
        ("triggers_replace", triggers_replace),
        ("output", Value::Unknown(Type::Any)),
        ("id", Value::Unknown(Type::String)),
    ])
}

fn state(input: Value, triggers_replace: Value, output: Value, id: Value) -> Value {
    obj(&[("input", input), ("triggers_replace", triggers_replace), ("output", output), ("id", id)])
}

fn s(text: &str) -> Value {
    Value::from(text)
}

fn unknown_id() -> Value {
    Value::Unknown(Type::String)
}

struct Case {
    name: &'static str,
    prior: Option<Value>,
    config: Value,
    planned: Value,
    requires_replace: &'static [&'static str],
}

async fn check(case: Case) {
    let request = PlanRequest { type_name: "strata_data".into(), prior: case.prior, config: case.config };
    let response = StrataProvider::new().plan(request).await.unwrap();
    assert_eq!(response.planned, case.planned, "{}: planned", case.name);
    assert_eq!(response.requires_replace, case.requires_replace, "{}: requires_replace", case.name);
}

#[tokio::test]
async fn plan_table() {
    let prior = || state(s("a"), Value::from(1.0), s("a"), s("id-1"));
    let partly_unknown = Value::List(vec![s("a"), Value::Unknown(Type::String)]);
    let cases = vec![
        Case {
            name: "create with known input: output is the input, id unknown",
            prior: None,
            config: config(s("a"), Value::Null),
            planned: state(s("a"), Value::Null, s("a"), unknown_id()),
            requires_replace: &[],
        },
        Case {
            name: "create with unknown input: output unknown of the same type",
            prior: None,
            config: config(Value::Unknown(Type::String), Value::Null),
            planned: state(Value::Unknown(Type::String), Value::Null, Value::Unknown(Type::String), unknown_id()),
            requires_replace: &[],
        },
        Case {
            name: "create with partly unknown input: output has the same unknowns",
            prior: None,
            config: config(partly_unknown.clone(), Value::Null),
            planned: state(partly_unknown.clone(), Value::Null, partly_unknown, unknown_id()),
            requires_replace: &[],
        },
        Case {
            name: "sensitive input stays marked in input and output",
            prior: None,
            config: config(s("secret").mark_sensitive(), Value::Null),
            planned: state(s("secret").mark_sensitive(), Value::Null, s("secret").mark_sensitive(), unknown_id()),
            requires_replace: &[],
        },
        Case {
            name: "nothing changed: planned equals prior",
            prior: Some(prior()),
            config: config(s("a"), Value::from(1.0)),
            planned: prior(),
            requires_replace: &[],
        },
        Case {
            name: "input changed: update in place, id kept, output is the new input",
            prior: Some(prior()),
            config: config(s("b"), Value::from(1.0)),
            planned: state(s("b"), Value::from(1.0), s("b"), s("id-1")),
            requires_replace: &[],
        },
        Case {
            name: "input becomes unknown: output unknown, id kept",
            prior: Some(prior()),
            config: config(Value::Unknown(Type::Any), Value::from(1.0)),
            planned: state(Value::Unknown(Type::Any), Value::from(1.0), Value::Unknown(Type::Any), s("id-1")),
            requires_replace: &[],
        },
        Case {
            name: "triggers_replace changed: replace, new id unknown",
            prior: Some(prior()),
            config: config(s("a"), Value::from(2.0)),
            planned: state(s("a"), Value::from(2.0), s("a"), unknown_id()),
            requires_replace: &["triggers_replace"],
        },
        Case {
            name: "triggers_replace unknown: replace (it may change)",
            prior: Some(prior()),
            config: config(s("a"), Value::Unknown(Type::Number)),
            planned: state(s("a"), Value::Unknown(Type::Number), s("a"), unknown_id()),
            requires_replace: &["triggers_replace"],
        },
        Case {
            name: "triggers_replace only gained a sensitive mark: no replace",
            prior: Some(prior()),
            config: config(s("a"), Value::from(1.0).mark_sensitive()),
            planned: state(s("a"), Value::from(1.0).mark_sensitive(), s("a"), s("id-1")),
            requires_replace: &[],
        },
        Case {
            name: "imported object (null input and output) gets the configured input",
            prior: Some(state(Value::Null, Value::Null, Value::Null, s("id-9"))),
            config: config(s("a"), Value::Null),
            planned: state(s("a"), Value::Null, s("a"), s("id-9")),
            requires_replace: &[],
        },
        Case {
            name: "null configuration (destroy): nothing planned",
            prior: Some(prior()),
            config: Value::Null,
            planned: Value::Null,
            requires_replace: &[],
        },
    ];
    for case in cases {
        check(case).await;
    }
}
