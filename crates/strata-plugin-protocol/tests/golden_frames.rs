//! Every frame kind and every method's request and reply, as golden lines in
//! `testdata/plugin-protocol/NAME.jsonl`: encoding the sample gives the file byte for byte, and
//! decoding the file gives the sample back. `UPDATE_GOLDEN=1` rewrites the files. Optional keys
//! added since version 1 stay readable both ways.

use std::collections::BTreeMap;
use std::path::PathBuf;

use strata_plugin_protocol::{
    Call, Frame, PROTOCOL_VERSION, Reply, WireError, WireSchema, WireValue, decode_frame, encode_frame,
};
use strata_schema::{AttributeSchema, BlockSchema, Nesting, ProviderSchema, ResourceSchema};
use strata_value::{Type, Value};

fn v(value: Value) -> WireValue {
    WireValue(value)
}

fn object(entries: &[(&str, Value)]) -> Value {
    Value::Map(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

fn config() -> Value {
    object(&[
        ("name", Value::from("core")),
        ("count", Value::Number(3.0)),
        ("password", Value::from("hunter2").mark_sensitive()),
        ("tags", Value::set([Value::from("b"), Value::from("a")])),
        ("$literal", Value::Bool(true)),
    ])
}

fn planned() -> Value {
    let mut map = config().as_mapping().unwrap().clone();
    map.insert("id".into(), Value::Unknown(Type::String));
    map.insert("hosts".into(), Value::Unknown(Type::list(Type::object([("ip".to_owned(), Type::String)]))));
    Value::Map(map)
}

fn schema() -> WireSchema {
    let block = BlockSchema::new()
        .attribute("name", AttributeSchema::required(Type::String, "Node group name.").force_new())
        .attribute("count", AttributeSchema::optional(Type::Number, "Hosts.").with_default(Value::Number(1.0)))
        .attribute("password", AttributeSchema::optional(Type::String, "").sensitive())
        .attribute("size", AttributeSchema::optional(Type::String, "").allowed(&["small", "large"]))
        .attribute("id", AttributeSchema::computed(Type::String, "Id."))
        .block(
            "disk",
            Nesting::List,
            0,
            "Data disks.",
            BlockSchema::new().attribute("size_gb", AttributeSchema::required(Type::Number, "")),
        );
    let resource = ResourceSchema { version: 2, description: "A node group.".into(), block };
    let schema = ProviderSchema {
        config: BlockSchema::new().attribute("region", AttributeSchema::optional(Type::String, "")),
        resources: BTreeMap::from([("test_group".to_owned(), resource.clone())]),
        data_sources: BTreeMap::from([("test_lookup".to_owned(), resource)]),
    };
    WireSchema::new(&schema, Some(4))
}

fn samples() -> Vec<(&'static str, Frame)> {
    let request = |id, call| Frame::Request { id, call };
    let ok = |id, reply| Frame::response(id, Ok(reply));
    let t = || "test_group".to_owned();
    vec![
        (
            "handshake.request",
            request(1, Call::Handshake { protocol_versions: vec![PROTOCOL_VERSION], engine_version: "0.1.0".into() }),
        ),
        (
            "handshake.response",
            ok(
                1,
                Reply::Handshake {
                    protocol_version: 1,
                    provider_name: "test".into(),
                    provider_version: "0.1.0".into(),
                },
            ),
        ),
        ("get_schema.request", request(2, Call::GetSchema {})),
        ("get_schema.response", ok(2, Reply::GetSchema { schema: schema() })),
        (
            "validate_provider_config.request",
            request(3, Call::ValidateProviderConfig { config: v(object(&[("region", Value::from("cn-hangzhou"))])) }),
        ),
        ("validate_provider_config.response", ok(3, Reply::ValidateProviderConfig {})),
        (
            "configure.request",
            request(4, Call::Configure { config: v(object(&[("region", Value::from("cn-hangzhou"))])) }),
        ),
        ("configure.response", ok(4, Reply::Configure {})),
        (
            "validate_resource_config.request",
            request(5, Call::ValidateResourceConfig { type_name: t(), config: v(config()) }),
        ),
        ("validate_resource_config.response", ok(5, Reply::ValidateResourceConfig {})),
        (
            "plan_resource_change.request",
            request(6, Call::PlanResourceChange { type_name: t(), prior: None, config: v(config()) }),
        ),
        (
            "plan_resource_change.response",
            ok(6, Reply::PlanResourceChange { planned: v(planned()), requires_replace: vec!["name".into()] }),
        ),
        (
            "apply_resource_change.request",
            request(
                7,
                Call::ApplyResourceChange {
                    type_name: t(),
                    prior: None,
                    planned: Some(v(planned())),
                    config: v(config()),
                    idempotency_token: "6f1c2d9e-0b7a-4e53-9d4f-2a8b1c3e5f70".into(),
                },
            ),
        ),
        (
            "apply_resource_change.progress",
            Frame::Progress { id: 7, message: "hosts installed".into(), done: Some(3), total: Some(5) },
        ),
        ("apply_resource_change.response", ok(7, Reply::ApplyResourceChange { new_state: Some(v(config())) })),
        (
            "apply_resource_change.delete",
            request(
                8,
                Call::ApplyResourceChange {
                    type_name: t(),
                    prior: Some(v(config())),
                    planned: None,
                    config: v(Value::Null),
                    idempotency_token: String::new(),
                },
            ),
        ),
        ("apply_resource_change.deleted", ok(8, Reply::ApplyResourceChange { new_state: None })),
        ("read_resource.request", request(9, Call::ReadResource { type_name: t(), current: v(config()) })),
        ("read_resource.response", ok(9, Reply::ReadResource { state: Some(v(config())) })),
        ("read_resource.gone", ok(9, Reply::ReadResource { state: None })),
        (
            "read_data_source.request",
            request(
                10,
                Call::ReadDataSource {
                    type_name: "test_lookup".into(),
                    config: v(object(&[("name", Value::from("x"))])),
                },
            ),
        ),
        (
            "read_data_source.response",
            ok(
                10,
                Reply::ReadDataSource { state: v(object(&[("name", Value::from("x")), ("id", Value::from("x-1"))])) },
            ),
        ),
        ("import_resource.request", request(11, Call::ImportResource { type_name: t(), id: "g-42".into() })),
        ("import_resource.response", ok(11, Reply::ImportResource { state: Some(v(config())) })),
        (
            "find_by_token.request",
            request(
                12,
                Call::FindByToken {
                    type_name: t(),
                    idempotency_token: "6f1c2d9e-0b7a-4e53-9d4f-2a8b1c3e5f70".into(),
                    planned: v(planned()),
                },
            ),
        ),
        ("find_by_token.response", ok(12, Reply::FindByToken { state: None })),
        (
            "upgrade_resource_state.request",
            request(
                13,
                Call::UpgradeResourceState {
                    type_name: t(),
                    schema_version: 1,
                    attributes: v(object(&[("name", Value::from("core"))])),
                },
            ),
        ),
        (
            "upgrade_resource_state.response",
            ok(
                13,
                Reply::UpgradeResourceState {
                    attributes: v(object(&[("name", Value::from("core")), ("count", Value::Number(1.0))])),
                },
            ),
        ),
        ("stop.request", request(14, Call::Stop {})),
        ("stop.response", ok(14, Reply::Stop {})),
        ("cancel", Frame::Cancel { id: 7 }),
        (
            "error.response",
            Frame::response(
                6,
                Err(WireError { attribute: Some("count".into()), ..WireError::new("count must be at least 1") }),
            ),
        ),
        (
            "cancelled.response",
            Frame::response(7, Err(WireError { outcome_unknown: true, ..WireError::new("cancelled by the engine") })),
        ),
        (
            // A failed apply that made something: the object, as far as it got (partial state).
            "apply_resource_change.partial",
            Frame::response(
                7,
                Err(WireError {
                    new_state: Some(v(config())),
                    ..WireError::new("the job failed (exit code 1): ValueError: the input table is empty")
                }),
            ),
        ),
    ]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/plugin-protocol")
}

#[test]
fn every_frame_matches_its_golden_line_both_ways() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|value| value == "1");
    for (name, frame) in samples() {
        let path = golden_dir().join(format!("{name}.jsonl"));
        let line = encode_frame(&frame).unwrap();
        if update {
            std::fs::write(&path, &line).unwrap();
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; UPDATE_GOLDEN=1 writes it", path.display()));
        assert_eq!(line, golden, "{name}: encoding changed; UPDATE_GOLDEN=1 to accept");
        assert_eq!(decode_frame(&golden).unwrap(), frame, "{name}: decoding the golden line");
    }
}

#[test]
fn every_method_has_a_request_and_a_response_golden() {
    let names: Vec<&str> = samples().iter().map(|(name, _)| *name).collect();
    let methods = samples().into_iter().filter_map(|(_, frame)| match frame {
        Frame::Request { call, .. } => Some(call.method()),
        _ => None,
    });
    for method in methods {
        assert!(names.contains(&format!("{method}.request").as_str()), "{method}: no request golden");
        assert!(names.contains(&format!("{method}.response").as_str()), "{method}: no response golden");
    }
    // No stray files: every golden file is a sample.
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let name = file.strip_suffix(".jsonl").unwrap_or(&file);
        assert!(names.contains(&name), "{file}: golden file without a sample");
    }
}

/// `new_state` on an error was added without a version bump: a peer reading an error ignores
/// keys it does not know, and one that knows `new_state` finds it absent from older peers.
#[test]
fn optional_error_keys_are_additive() {
    let older = r#"{"frame":"response","id":7,"error":{"message":"failed"}}"#;
    assert_eq!(decode_frame(older).unwrap(), Frame::response(7, Err(WireError::new("failed"))));
    let newer = r#"{"frame":"response","id":7,"error":{"message":"failed","retry_after":3}}"#;
    assert_eq!(decode_frame(newer).unwrap(), Frame::response(7, Err(WireError::new("failed"))));
}
