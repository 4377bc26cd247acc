//! The saved plan file: golden files under `testdata/plan-files/` read and re-write
//! byte-identically; a plan round-trips (sensitive values come back as sensitive unknowns,
//! never as their text); other versions are refused.

use std::collections::BTreeMap;
use std::path::Path;

use strata_plan::file::{self, PlanFile, PlanFileError};
use strata_plan::{
    Action, ActionReason, Move, OutputChange, Plan, PlanMode, ReconcileKind, Reconciliation, ResourceChange,
};
use strata_value::{Type, Value};

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/plan-files")
}

fn sample() -> PlanFile {
    let object = |entries: Vec<(&str, Value)>| Value::map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)));
    let change = |addr: &str, action, before, after| ResourceChange {
        addr: addr.parse().unwrap(),
        provider: "provider.strata".parse().unwrap(),
        action,
        before,
        after,
        replace_paths: Vec::new(),
        reason: None,
        dependencies: Vec::new(),
        create_before_destroy: false,
    };
    let mut replace = change(
        "module.etl.strata_data.r[\"a\"]",
        Action::CreateThenDelete,
        Some(object(vec![("id", Value::from("1")), ("triggers_replace", Value::from("x"))])),
        // Unknowns do not keep their type in the file (apply re-plans; it needs none).
        Some(object(vec![("id", Value::Unknown(Type::Any)), ("triggers_replace", Value::from("y"))])),
    );
    replace.replace_paths = vec!["triggers_replace".into()];
    replace.reason = Some(ActionReason::ReplaceBecauseCannotUpdate(vec!["triggers_replace".into()]));
    replace.dependencies = vec!["strata_data.root".parse().unwrap()];
    replace.create_before_destroy = true;
    let plan = Plan {
        mode: PlanMode::Normal,
        prior_lineage: "0d4a0c7e-3f5e-4d7e-9a53-2b1b7f1c9e01".into(),
        prior_serial: 42,
        changes: vec![
            change(
                "strata_data.root",
                Action::Create,
                None,
                Some(object(vec![
                    ("id", Value::Unknown(Type::String)),
                    (
                        "input",
                        object(vec![
                            ("user", Value::from("admin")),
                            ("password", Value::from("s3cret").mark_sensitive()),
                        ]),
                    ),
                    ("tags", Value::set(vec![Value::from("b"), Value::from("a")])),
                    ("sizes", Value::List(vec![Value::from(1.0), Value::from(2.5), Value::Null, Value::from(true)])),
                ])),
            ),
            replace,
            {
                let mut delete = change(
                    "strata_file.old[3]",
                    Action::Delete,
                    Some(object(vec![("path", Value::from("/tmp/x"))])),
                    None,
                );
                delete.reason = Some(ActionReason::NoResourceConfig);
                delete
            },
        ],
        drift: vec![change(
            "strata_file.f",
            Action::Update,
            Some(object(vec![("content", Value::from("a"))])),
            Some(object(vec![("content", Value::from("b"))])),
        )],
        outputs: vec![OutputChange {
            name: "ids".into(),
            action: Action::Create,
            before: None,
            after: Some(Value::Unknown(Type::Any)),
            sensitive: false,
        }],
        reconciled: vec![
            Reconciliation {
                addr: "strata_file.g".parse().unwrap(),
                provider: "provider.strata".parse().unwrap(),
                found: None,
                kind: ReconcileKind::InterruptedCreate,
            },
            Reconciliation {
                addr: "strata_file.h".parse().unwrap(),
                provider: "provider.strata".parse().unwrap(),
                found: Some(Value::map([("path".to_owned(), Value::from("/srv/h"))])),
                kind: ReconcileKind::Import,
            },
        ],
        moved: vec![Move { from: "strata_data.old".parse().unwrap(), to: "strata_data.new[0]".parse().unwrap() }],
    };
    PlanFile {
        plan,
        config_digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        variable_digests: BTreeMap::from([(
            "workers".into(),
            "4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a".into(),
        )]),
    }
}

#[test]
fn golden_files_round_trip_byte_identically() {
    let path = dir().join("v1-sample.json");
    let bytes = file::to_bytes(&sample());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &bytes).unwrap();
    }
    let golden = std::fs::read(&path).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(&golden),
        "writer output changed; UPDATE_GOLDEN=1 to accept"
    );
    let read = file::from_bytes(&golden, "v1-sample.json").unwrap();
    assert_eq!(file::to_bytes(&read), golden);
}

#[test]
fn secrets_never_reach_the_file() {
    let bytes = file::to_bytes(&sample());
    assert!(!String::from_utf8_lossy(&bytes).contains("s3cret"));
    let read = file::from_bytes(&bytes, "x").unwrap();
    let after = read.plan.changes[0].after.as_ref().unwrap();
    let password = &after.as_mapping().unwrap()["input"].as_mapping().unwrap()["password"];
    assert!(password.is_sensitive());
    assert!(!password.is_known());
}

#[test]
fn plan_round_trips_apart_from_secrets() {
    let original = sample();
    let read = file::from_bytes(&file::to_bytes(&original), "x").unwrap();
    assert_eq!(read.plan.changes[1..], original.plan.changes[1..]);
    assert_eq!(read.plan.drift, original.plan.drift);
    assert_eq!(read.plan.reconciled, original.plan.reconciled);
    assert_eq!(read.plan.moved, original.plan.moved);
    assert_eq!(read.variable_digests, original.variable_digests);
}

#[test]
fn other_versions_and_garbage_are_refused() {
    let newer = br#"{"format": "strata-plan", "version": 2}"#;
    assert!(matches!(file::from_bytes(newer, "p"), Err(PlanFileError::UnsupportedVersion { found: 2, .. })));
    assert!(matches!(file::from_bytes(b"{}", "p"), Err(PlanFileError::Invalid { .. })));
    assert!(matches!(file::from_bytes(b"not json", "p"), Err(PlanFileError::Invalid { .. })));
}

/// Objects of repeated modules keep their keyed addresses and the reason of an object whose
/// module instance went away (`no_module_instance`) through the file.
#[test]
fn module_instance_addresses_and_reasons_round_trip() {
    let mut plan = sample();
    let mut delete = plan.plan.changes[2].clone();
    delete.addr = r#"module.db["us"].module.shard[1].strata_data.s"#.parse().unwrap();
    delete.reason = Some(ActionReason::NoModuleInstance);
    delete.dependencies = vec!["module.web.strata_data.x".parse().unwrap()];
    plan.plan.changes = vec![delete.clone()];
    let read = file::from_bytes(&file::to_bytes(&plan), "x").unwrap();
    assert_eq!(read.plan.changes[0].addr, delete.addr);
    assert_eq!(read.plan.changes[0].reason, Some(ActionReason::NoModuleInstance));
    assert_eq!(read.plan.changes[0].dependencies, delete.dependencies);
    let text = String::from_utf8(file::to_bytes(&plan)).unwrap();
    assert!(text.contains(r#""module.db[\"us\"].module.shard[1].strata_data.s""#), "{text}");
    assert!(text.contains("\"no_module_instance\""), "{text}");
}
