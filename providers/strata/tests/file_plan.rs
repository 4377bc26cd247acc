//! Plan and validation tables for `strata_file` (no disk access).

mod common;

use common::obj;
use strata_provider::{PlanRequest, Provider};
use strata_provider_strata::StrataProvider;
use strata_value::{Type, Value};

fn s(text: &str) -> Value {
    Value::from(text)
}

/// Configuration as the evaluator produces it: `id` unknown.
fn config(path: Value, content: Value, mode: Value) -> Value {
    obj(&[("path", path), ("content", content), ("mode", mode), ("id", Value::Unknown(Type::String))])
}

fn state(path: Value, content: Value, mode: Value) -> Value {
    obj(&[("path", path.clone()), ("content", content), ("mode", mode), ("id", path)])
}

struct Case {
    name: &'static str,
    prior: Option<Value>,
    config: Value,
    planned: Value,
    requires_replace: &'static [&'static str],
}

#[tokio::test]
async fn plan_table() {
    let prior = || state(s("/x/a"), s("hi"), s("0644"));
    let cases = vec![
        Case {
            name: "create: id is the path, known at plan time",
            prior: None,
            config: config(s("/x/a"), s("hi"), s("0644")),
            planned: prior(),
            requires_replace: &[],
        },
        Case {
            name: "create with mode unset: default mode",
            prior: None,
            config: config(s("/x/a"), s("hi"), Value::Null),
            planned: prior(),
            requires_replace: &[],
        },
        Case {
            name: "create with unknown path: id unknown",
            prior: None,
            config: config(Value::Unknown(Type::String), s("hi"), s("0644")),
            planned: state(Value::Unknown(Type::String), s("hi"), s("0644")),
            requires_replace: &[],
        },
        Case {
            name: "sensitive content stays marked",
            prior: None,
            config: config(s("/x/a"), s("pw").mark_sensitive(), s("0600")),
            planned: state(s("/x/a"), s("pw").mark_sensitive(), s("0600")),
            requires_replace: &[],
        },
        Case {
            name: "nothing changed: planned equals prior",
            prior: Some(prior()),
            config: config(s("/x/a"), s("hi"), s("0644")),
            planned: prior(),
            requires_replace: &[],
        },
        Case {
            name: "content changed: update in place",
            prior: Some(prior()),
            config: config(s("/x/a"), s("bye"), s("0644")),
            planned: state(s("/x/a"), s("bye"), s("0644")),
            requires_replace: &[],
        },
        Case {
            name: "mode changed: update in place",
            prior: Some(prior()),
            config: config(s("/x/a"), s("hi"), s("0755")),
            planned: state(s("/x/a"), s("hi"), s("0755")),
            requires_replace: &[],
        },
        Case {
            name: "content unknown: update in place with unknown content",
            prior: Some(prior()),
            config: config(s("/x/a"), Value::Unknown(Type::String), s("0644")),
            planned: state(s("/x/a"), Value::Unknown(Type::String), s("0644")),
            requires_replace: &[],
        },
        Case {
            name: "path changed: replace",
            prior: Some(prior()),
            config: config(s("/x/b"), s("hi"), s("0644")),
            planned: state(s("/x/b"), s("hi"), s("0644")),
            requires_replace: &["path"],
        },
        Case {
            name: "path unknown: replace (it may change)",
            prior: Some(prior()),
            config: config(Value::Unknown(Type::String), s("hi"), s("0644")),
            planned: state(Value::Unknown(Type::String), s("hi"), s("0644")),
            requires_replace: &["path"],
        },
    ];
    for case in cases {
        let request = PlanRequest { type_name: "strata_file".into(), prior: case.prior, config: case.config };
        let response = StrataProvider::new().plan(request).await.unwrap();
        assert_eq!(response.planned, case.planned, "{}: planned", case.name);
        assert_eq!(response.requires_replace, case.requires_replace, "{}: requires_replace", case.name);
    }
}

#[tokio::test]
async fn validate_table() {
    // (path, mode) → the attribute at fault, if any.
    let cases: Vec<(Value, Value, Option<&str>)> = vec![
        (s("/x/a"), s("0644"), None),
        (s("/x/a"), s("644"), None),
        (s("/x/a"), s("4755"), None),
        (s("/x/a"), Value::Null, None),
        (s("/x/a"), Value::Unknown(Type::String), None),
        (Value::Unknown(Type::String), s("0600"), None),
        (s("/x/a"), s("0648"), Some("mode")),
        (s("/x/a"), s("64"), Some("mode")),
        (s("/x/a"), s("00644"), Some("mode")),
        (s("/x/a"), s("rw-r--r--"), Some("mode")),
        (s(""), s("0644"), Some("path")),
    ];
    for (path, mode, expected) in cases {
        let label = format!("path {path}, mode {mode}");
        let result = StrataProvider::new().validate_resource("strata_file", &config(path, s("hi"), mode)).await;
        assert_eq!(result.err().and_then(|e| e.attribute), expected.map(str::to_owned), "{label}");
    }
}

#[tokio::test]
async fn invalid_sensitive_mode_is_not_shown() {
    let config = config(s("/x/a"), s("hi"), s("9999").mark_sensitive());
    let error = StrataProvider::new().validate_resource("strata_file", &config).await.unwrap_err();
    assert!(!error.message.contains("9999"), "{error}");
}
