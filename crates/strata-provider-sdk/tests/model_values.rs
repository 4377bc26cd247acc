//! Values ⇄ models: round trips (known, null, unknown computed, sensitive, nested blocks, sets)
//! and the errors a value that does not fit gets, naming the attribute.

use std::collections::{BTreeMap, BTreeSet};

use strata_provider_sdk::{Model, Planned, Value};
use strata_value::Type;

#[derive(Model, Debug, PartialEq)]
struct Thing {
    #[strata(required, force_new)]
    name: String,
    behavior: Option<String>,
    #[strata(optional)]
    delay_ms: Option<u64>,
    #[strata(sensitive)]
    secret: Option<String>,
    #[strata(computed)]
    id: Option<String>,
    tags: Option<BTreeSet<String>>,
    labels: Option<BTreeMap<String, String>>,
    ports: Option<Vec<u16>>,
    #[strata(computed)]
    later: Planned<Option<String>>,
    #[strata(block)]
    disk: Vec<Disk>,
    #[strata(block)]
    group: BTreeMap<String, Disk>,
    #[strata(block)]
    timeouts: Option<Timeouts>,
}

#[derive(Model, Debug, PartialEq)]
struct Disk {
    size: u32,
}

#[derive(Model, Debug, PartialEq)]
struct Timeouts {
    create: Option<String>,
}

fn object(pairs: &[(&str, Value)]) -> Value {
    Value::Map(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

/// A `Thing` value: `name = "a"`, nothing else set, changed by `pairs`.
fn thing(pairs: &[(&str, Value)]) -> Value {
    let mut map = BTreeMap::from([
        ("name".to_owned(), Value::from("a")),
        ("behavior".to_owned(), Value::Null),
        ("delay_ms".to_owned(), Value::Null),
        ("secret".to_owned(), Value::Null.mark_sensitive()),
        ("id".to_owned(), Value::Null),
        ("tags".to_owned(), Value::Null),
        ("labels".to_owned(), Value::Null),
        ("ports".to_owned(), Value::Null),
        ("later".to_owned(), Value::Null),
        ("disk".to_owned(), Value::List(vec![])),
        ("group".to_owned(), Value::Map(BTreeMap::new())),
        ("timeouts".to_owned(), Value::Null),
    ]);
    for (name, value) in pairs {
        map.insert((*name).to_owned(), value.clone());
    }
    Value::Map(map)
}

fn disk(size: f64) -> Value {
    object(&[("size", Value::Number(size))])
}

/// Decoding `input` then encoding gives `output` (sensitive fields marked by the model).
fn check(name: &str, input: Value, output: Value) {
    let model = Thing::decode(&input).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!(model.encode(), output, "{name}");
}

#[test]
fn values_round_trip_through_the_model() {
    let full = thing(&[
        ("behavior", Value::from("ok")),
        ("delay_ms", Value::Number(300.0)),
        ("secret", Value::from("hunter2").mark_sensitive()),
        ("id", Value::from("thing-a")),
        ("tags", Value::set([Value::from("b"), Value::from("a")])),
        ("labels", object(&[("team", Value::from("x"))])),
        ("ports", Value::List(vec![Value::Number(22.0), Value::Number(80.0)])),
        ("later", Value::from("now")),
        ("disk", Value::List(vec![disk(10.0), disk(20.0)])),
        ("group", object(&[("core", disk(1.0))])),
        ("timeouts", object(&[("create", Value::from("1m"))])),
    ]);
    let rows: Vec<(&str, Value, Value)> = vec![
        ("everything set", full.clone(), full),
        ("nulls stay null", thing(&[]), thing(&[])),
        (
            "a sensitive field is marked even when it came unmarked",
            thing(&[("secret", Value::from("hunter2"))]),
            thing(&[("secret", Value::from("hunter2").mark_sensitive())]),
        ),
        (
            "marks on other attributes are looked through (the SDK puts them back on answers)",
            thing(&[("behavior", Value::from("ok").mark_sensitive())]),
            thing(&[("behavior", Value::from("ok"))]),
        ),
        (
            "an unknown computed attribute is not decided yet: None, or Planned::Unknown",
            thing(&[("id", Value::Unknown(Type::String)), ("later", Value::Unknown(Type::String))]),
            thing(&[("id", Value::Null), ("later", Value::Unknown(Type::String))]),
        ),
        (
            "absent list and map blocks read as none",
            thing(&[("disk", Value::Null), ("group", Value::Null)]),
            thing(&[]),
        ),
        (
            "a set given as a list is a set",
            thing(&[("tags", Value::List(vec![Value::from("b"), Value::from("a"), Value::from("b")]))]),
            thing(&[("tags", Value::set([Value::from("a"), Value::from("b")]))]),
        ),
    ];
    for (name, input, output) in rows {
        check(name, input, output);
    }
}

#[test]
fn decoded_models_hold_the_values() {
    let value = thing(&[
        ("secret", Value::from("hunter2").mark_sensitive()),
        ("id", Value::Unknown(Type::String)),
        ("disk", Value::List(vec![disk(10.0)])),
    ]);
    let model = Thing::decode(&value).unwrap();
    assert_eq!(model.secret.as_deref(), Some("hunter2"));
    assert_eq!(model.id, None);
    assert_eq!(model.disk, vec![Disk { size: 10 }]);
    assert_eq!(model.later, Planned::Known(None));
}

/// Decoding `input` fails on `attribute` with a message containing `message`.
fn check_error(input: Value, attribute: Option<&str>, message: &str) {
    let error = Thing::decode(&input).expect_err(message);
    assert_eq!(error.attribute.as_deref(), attribute, "{message}: {error:?}");
    assert!(error.message.contains(message), "{message}: {error:?}");
    assert!(!error.outcome_unknown);
}

#[test]
fn values_that_do_not_fit_are_errors_naming_the_attribute() {
    let rows: Vec<(Value, Option<&str>, &str)> = vec![
        (thing(&[("name", Value::Unknown(Type::String))]), Some("name"), "not known yet"),
        (thing(&[("name", Value::Null)]), Some("name"), "got null"),
        (thing(&[("name", Value::Number(1.0))]), Some("name"), "expected a string, got number"),
        (thing(&[("delay_ms", Value::Number(2.5))]), Some("delay_ms"), "whole number"),
        (thing(&[("delay_ms", Value::Number(-1.0))]), Some("delay_ms"), "whole number"),
        (
            thing(&[("ports", Value::List(vec![Value::Number(1.0), Value::Number(70000.0)]))]),
            Some("ports[1]"),
            "whole number from 0 to 65535",
        ),
        (thing(&[("labels", object(&[("team", Value::Bool(true))]))]), Some("labels.team"), "expected a string"),
        (thing(&[("disk", Value::List(vec![object(&[])]))]), Some("disk[0].size"), "got null"),
        (thing(&[("group", object(&[("core", Value::from("x"))]))]), Some("group.core"), "expected an object"),
        (thing(&[("tags", Value::List(vec![Value::Unknown(Type::String)]))]), Some("tags[0]"), "not known yet"),
        (Value::Unknown(Type::Any), None, "not known yet"),
        (Value::from("x"), None, "expected an object, got string"),
    ];
    for (input, attribute, message) in rows {
        check_error(input, attribute, message);
    }
}
