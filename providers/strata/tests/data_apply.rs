//! Apply, read, import and crash recovery of `strata_data`.

mod common;

use common::obj;
use strata_provider::{ApplyRequest, FindRequest, Provider, ReadRequest};
use strata_provider_strata::StrataProvider;
use strata_value::{Type, Value};

const TOKEN: &str = "6f1c1c3e-6a4b-4d8e-9a51-0c4f3b7d2e10";

fn config(input: Value) -> Value {
    obj(&[
        ("input", input),
        ("triggers_replace", Value::Null),
        ("output", Value::Unknown(Type::Any)),
        ("id", Value::Unknown(Type::String)),
    ])
}

fn state(input: Value, output: Value, id: &str) -> Value {
    obj(&[("input", input), ("triggers_replace", Value::Null), ("output", output), ("id", Value::from(id))])
}

async fn apply(prior: Option<Value>, planned: Option<Value>, config: Value) -> Option<Value> {
    let request = ApplyRequest {
        type_name: "strata_data".into(),
        prior,
        planned,
        config,
        idempotency_token: TOKEN.into(),
        progress: Default::default(),
    };
    StrataProvider::new().apply(request).await.unwrap().new_state
}

#[tokio::test]
async fn create_uses_the_token_as_id_so_a_retry_makes_the_same_object() {
    let planned = state(Value::Unknown(Type::String), Value::Unknown(Type::String), "ignored");
    let first = apply(None, Some(planned.clone()), config(Value::from("a"))).await;
    let retried = apply(None, Some(planned), config(Value::from("a"))).await;
    assert_eq!(first, Some(state(Value::from("a"), Value::from("a"), TOKEN)));
    assert_eq!(first, retried);
}

#[tokio::test]
async fn create_without_a_token_gets_a_uuid() {
    let request = ApplyRequest {
        type_name: "strata_data".into(),
        prior: None,
        planned: Some(Value::Null),
        config: config(Value::from("a")),
        idempotency_token: String::new(),
        progress: Default::default(),
    };
    let state = StrataProvider::new().apply(request).await.unwrap().new_state.unwrap();
    let id = state.as_mapping().unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(id.as_bytes()[14], b'4', "version 4 uuid: {id}");
}

#[tokio::test]
async fn update_copies_input_to_output_and_keeps_the_id() {
    let prior = state(Value::from("a"), Value::from("a"), "id-1");
    let secret = Value::from("b").mark_sensitive();
    let new_state = apply(Some(prior.clone()), Some(prior), config(secret.clone())).await;
    assert_eq!(new_state, Some(state(secret.clone(), secret, "id-1")));
}

#[tokio::test]
async fn delete_returns_no_state() {
    let prior = state(Value::from("a"), Value::from("a"), "id-1");
    assert_eq!(apply(Some(prior), None, Value::Null).await, None);
}

#[tokio::test]
async fn apply_refuses_input_still_unknown() {
    let request = ApplyRequest {
        type_name: "strata_data".into(),
        prior: None,
        planned: Some(Value::Null),
        config: config(Value::Unknown(Type::String)),
        idempotency_token: TOKEN.into(),
        progress: Default::default(),
    };
    let error = StrataProvider::new().apply(request).await.unwrap_err();
    assert_eq!(error.attribute.as_deref(), Some("input"));
}

#[tokio::test]
async fn read_returns_state_unchanged() {
    let current = state(Value::from("a"), Value::from("a"), "id-1");
    let request = ReadRequest { type_name: "strata_data".into(), current: current.clone() };
    assert_eq!(StrataProvider::new().read(request).await.unwrap(), Some(current));
}

#[tokio::test]
async fn import_has_the_id_and_null_values() {
    let imported = StrataProvider::new().import("strata_data", "id-7").await.unwrap();
    assert_eq!(imported, Some(state(Value::Null, Value::Null, "id-7")));
}

#[tokio::test]
async fn find_by_token_finds_nothing_external() {
    let request = FindRequest {
        type_name: "strata_data".into(),
        idempotency_token: TOKEN.into(),
        planned: state(Value::from("a"), Value::from("a"), "x"),
    };
    assert_eq!(StrataProvider::new().find_by_token(request).await.unwrap(), None);
}

#[tokio::test]
async fn unknown_resource_types_are_errors() {
    let error = StrataProvider::new().import("strata_nothing", "x").await.unwrap_err();
    assert!(error.message.contains("strata_nothing"), "{error}");
}
