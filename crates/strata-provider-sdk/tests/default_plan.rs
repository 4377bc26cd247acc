//! The default plan: arguments as configured, computed attributes unknown on create and kept
//! on update, `force_new` changes (or unknowns) requiring replacement, nested blocks alike,
//! marks kept; and the typed helpers a resource's own plan uses.

use std::collections::BTreeMap;

use strata_provider_sdk::{Model, Plan, Planned, Value};
use strata_value::Type;

#[derive(Model)]
struct Server {
    #[strata(required, force_new)]
    name: String,
    size: Option<u32>,
    #[strata(computed)]
    id: Option<String>,
    #[strata(optional, computed)]
    zone: Option<String>,
    #[strata(sensitive)]
    password: Option<String>,
    #[strata(block)]
    disk: Vec<Disk>,
}

#[derive(Model)]
struct Disk {
    #[strata(force_new)]
    size: u32,
    #[strata(computed)]
    device: Option<String>,
}

fn unknown() -> Value {
    Value::Unknown(Type::String)
}

fn disk(size: f64, device: Value) -> Value {
    Value::map([("size".to_owned(), Value::Number(size)), ("device".to_owned(), device)])
}

/// A `Server` value (as configuration: computed attributes unknown) changed by `pairs`.
fn server(pairs: &[(&str, Value)]) -> Value {
    let mut map = BTreeMap::from([
        ("name".to_owned(), Value::from("web")),
        ("size".to_owned(), Value::Number(2.0)),
        ("id".to_owned(), unknown()),
        ("zone".to_owned(), Value::Null),
        ("password".to_owned(), Value::Null.mark_sensitive()),
        ("disk".to_owned(), Value::List(vec![disk(10.0, unknown())])),
    ]);
    for (name, value) in pairs {
        map.insert((*name).to_owned(), value.clone());
    }
    Value::Map(map)
}

/// What the object looks like after its create.
fn state(pairs: &[(&str, Value)]) -> Value {
    let mut base = vec![
        ("id", Value::from("i-1")),
        ("zone", Value::from("z1")),
        ("disk", Value::List(vec![disk(10.0, Value::from("/dev/a"))])),
    ];
    base.extend(pairs.iter().cloned());
    server(&base)
}

struct Row {
    name: &'static str,
    prior: Option<Value>,
    config: Value,
    planned: Value,
    requires_replace: &'static [&'static str],
}

fn check(row: Row) {
    let plan = Plan::<Server>::new(row.prior, row.config);
    assert_eq!(plan.planned_value(), &row.planned, "{}: planned", row.name);
    assert_eq!(plan.requires_replace(), row.requires_replace, "{}: requires_replace", row.name);
}

#[test]
fn the_default_plan_fills_in_computed_attributes_and_finds_replacements() {
    let rows = vec![
        Row {
            name: "create: computed attributes unknown, even in nested blocks",
            prior: None,
            config: server(&[]),
            planned: server(&[("zone", unknown())]),
            requires_replace: &[],
        },
        Row {
            name: "create: an optional+computed argument set is kept",
            prior: None,
            config: server(&[("zone", Value::from("z9"))]),
            planned: server(&[("zone", Value::from("z9"))]),
            requires_replace: &[],
        },
        Row {
            name: "update: computed attributes keep their prior values",
            prior: Some(state(&[])),
            config: server(&[("size", Value::Number(4.0))]),
            planned: state(&[("size", Value::Number(4.0))]),
            requires_replace: &[],
        },
        Row {
            name: "update: a force_new change requires replacement",
            prior: Some(state(&[])),
            config: server(&[("name", Value::from("api"))]),
            planned: state(&[("name", Value::from("api"))]),
            requires_replace: &["name"],
        },
        Row {
            name: "update: an unknown force_new value may be a change",
            prior: Some(state(&[])),
            config: server(&[("name", unknown())]),
            planned: state(&[("name", unknown())]),
            requires_replace: &["name"],
        },
        Row {
            name: "update: a force_new change in a nested block replaces for the block",
            prior: Some(state(&[])),
            config: server(&[("disk", Value::List(vec![disk(20.0, unknown())]))]),
            planned: state(&[("disk", Value::List(vec![disk(20.0, Value::from("/dev/a"))]))]),
            requires_replace: &["disk"],
        },
        Row {
            name: "update: adding a block whose type has force_new attributes replaces",
            prior: Some(state(&[])),
            config: server(&[("disk", Value::List(vec![disk(10.0, unknown()), disk(5.0, unknown())]))]),
            planned: state(&[("disk", Value::List(vec![disk(10.0, Value::from("/dev/a")), disk(5.0, unknown())]))]),
            requires_replace: &["disk"],
        },
        Row {
            name: "marks are kept: a sensitive variable's value and the schema's sensitive attribute",
            prior: None,
            config: server(&[
                ("name", Value::from("web").mark_sensitive()),
                ("password", Value::from("hunter2").mark_sensitive()),
            ]),
            planned: server(&[
                ("name", Value::from("web").mark_sensitive()),
                ("password", Value::from("hunter2").mark_sensitive()),
                ("zone", unknown()),
            ]),
            requires_replace: &[],
        },
        Row {
            name: "a marked change still compares by value",
            prior: Some(state(&[])),
            config: server(&[("name", Value::from("web").mark_sensitive())]),
            planned: state(&[("name", Value::from("web").mark_sensitive())]),
            requires_replace: &[],
        },
    ];
    for row in rows {
        check(row);
    }
}

#[test]
fn a_resource_plan_reads_and_changes_attributes_through_typed_helpers() {
    let mut plan = Plan::<Server>::new(Some(state(&[])), server(&[("size", unknown())]));
    assert!(!plan.is_create());
    assert_eq!(plan.config::<Option<u32>>("size").unwrap(), Planned::Unknown);
    assert_eq!(plan.config::<String>("name").unwrap(), Planned::Known("web".to_owned()));
    assert_eq!(plan.planned::<Option<String>>("id").unwrap(), Planned::Known(Some("i-1".to_owned())));
    assert_eq!(plan.prior().unwrap().map(|prior| prior.size), Some(Some(2)));

    plan.set_unknown("id").unwrap();
    plan.set("zone", Some("z2".to_owned())).unwrap();
    plan.set("password", Some("new".to_owned())).unwrap();
    plan.require_replace("size").unwrap();
    plan.require_replace("size").unwrap();
    let response = plan.into_response();
    let planned = response.planned.as_mapping().unwrap();
    assert_eq!(planned["id"], unknown());
    assert_eq!(planned["zone"], Value::from("z2"));
    assert_eq!(planned["password"], Value::from("new").mark_sensitive(), "the schema says sensitive");
    assert_eq!(response.requires_replace, vec!["size".to_owned()]);
}

#[test]
fn names_outside_the_schema_are_errors() {
    let mut plan = Plan::<Server>::new(None, server(&[]));
    assert!(plan.is_create());
    assert!(plan.config::<String>("nope").unwrap_err().message.contains("\"nope\""));
    assert!(plan.set("nope", 1_i64).is_err());
    assert!(plan.set_unknown("nope").is_err());
    assert!(plan.require_replace("nope").is_err());
}
