//! Golden files under `testdata/state/`: every `v2-*.json` reads and writes back byte for byte;
//! every `v1-*.json` (the previous version, sensitive values in clear text) reads as the same
//! state as its `v2-*.json` counterpart and is written back as exactly that file; error cases
//! name what is wrong.
//!
//! The encrypted values of the `v2-*.json` files use the test-only key `golden.key` beside them.
//! Writing reuses the ciphertext of a value already read with the same key source, which is
//! what makes byte-for-byte round trips possible with random nonces.

use std::path::{Path, PathBuf};

use strata_state::{
    KeySource, State, StateError, read_state_file, state_from_bytes, state_to_bytes, with_key_source,
    write_state_atomically,
};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/state")
}

fn golden_key() -> KeySource {
    KeySource::key_file(testdata().join("golden.key"))
}

fn golden_files(prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(testdata())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    files.sort();
    files
}

/// `v1-x.json` → `v2-x.json`.
fn v2_counterpart(v1: &Path) -> PathBuf {
    let name = v1.file_name().unwrap().to_string_lossy().replacen("v1-", "v2-", 1);
    v1.with_file_name(name)
}

fn read(keys: &KeySource, file: &Path) -> State {
    with_key_source(keys, || read_state_file(file)).unwrap_or_else(|e| panic!("{e}"))
}

/// `v3-deposed.json`: version 3 is version 2 plus the objects `create_before_destroy`
/// replacements moved aside; it reads, writes back byte for byte, and is written as version 2
/// again once no deposed object is left.
#[test]
fn v3_golden_file_round_trips_and_goes_back_to_v2_without_deposed_objects() {
    let file = testdata().join("v3-deposed.json");
    let keys = golden_key();
    let original = std::fs::read_to_string(&file).unwrap();
    let mut state = read(&keys, &file);
    assert_eq!(state.deposed.len(), 1);
    let written = with_key_source(&keys, || state_to_bytes(&state)).unwrap();
    assert_eq!(String::from_utf8(written).unwrap(), original);
    let address = state.deposed.keys().next().unwrap().clone();
    state.apply(state.serial + 1, strata_state::Operation::RemoveDeposed { address });
    let written = String::from_utf8(with_key_source(&keys, || state_to_bytes(&state)).unwrap()).unwrap();
    assert!(written.contains("\"version\": 2,") && !written.contains("deposed"), "{written}");
}

#[test]
fn v2_golden_files_round_trip_byte_for_byte() {
    let files = golden_files("v2-");
    assert!(files.len() >= 4, "expected the v2 golden files, found {files:?}");
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let keys = golden_key();
        let original = std::fs::read(&file).unwrap();
        let state = read(&keys, &file);
        let written = with_key_source(&keys, || state_to_bytes(&state)).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(original.clone()).unwrap(), "{file:?}");
        let copy = dir.path().join(file.file_name().unwrap());
        with_key_source(&keys, || write_state_atomically(&copy, &state)).unwrap();
        assert_eq!(std::fs::read(&copy).unwrap(), original, "{file:?} written atomically");
        // A fresh source (new nonces) writes other bytes that still read as the same state.
        let fresh = golden_key();
        with_key_source(&fresh, || write_state_atomically(&copy, &state)).unwrap();
        assert_eq!(read(&golden_key(), &copy), state, "{file:?}");
    }
}

#[test]
fn v1_golden_files_read_as_their_v2_counterparts_and_are_written_as_them() {
    let files = golden_files("v1-");
    assert!(files.len() >= 4, "expected the v1 golden files, found {files:?}");
    for file in files {
        let keys = golden_key();
        let v2 = v2_counterpart(&file);
        // Reading the v2 file first lets the writer reuse its ciphertexts.
        let expected = read(&keys, &v2);
        let state = read(&keys, &file);
        assert_eq!(state, expected, "{file:?} and {v2:?} hold the same state");
        let written = with_key_source(&keys, || state_to_bytes(&state)).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            std::fs::read_to_string(&v2).unwrap(),
            "{file:?} is written as {v2:?}"
        );
    }
}

/// Writes `v2-*.json` from `v1-*.json` with `golden.key`, keeping the ciphertexts of values
/// already in a `v2-*.json`. Run after changing a v1 file or adding one:
/// `cargo nextest run -p strata-state --run-ignored only regenerate`.
#[test]
#[ignore = "writes the golden files"]
fn regenerate_v2_golden_files() {
    for file in golden_files("v1-") {
        let keys = golden_key();
        let v2 = v2_counterpart(&file);
        if v2.exists() {
            read(&keys, &v2);
        }
        let state = read(&keys, &file);
        std::fs::write(&v2, with_key_source(&keys, || state_to_bytes(&state)).unwrap()).unwrap();
    }
}

#[test]
fn golden_content_is_typed_and_secrets_are_only_in_v1() {
    for version in ["v1", "v2"] {
        let file = testdata().join(format!("{version}-resources.json"));
        let state = read(&golden_key(), &file);
        assert_eq!(state.serial, 7);
        let cluster = &state.resources[&"emr_cluster.analytics".parse().unwrap()];
        let value = cluster.attributes_value();
        assert!(value.contains_sensitive());
        let rendered = value.to_hcl();
        assert!(
            !rendered.contains("hunter2") && !rendered.contains("ng-secret") && !rendered.contains("k-123"),
            "{rendered}"
        );
        assert!(rendered.contains("hadoop"), "{rendered}");
        assert_eq!(cluster.attributes["admin"]["password"], "hunter2", "decrypted in memory");
        assert_eq!(state.outputs["admin_password"].value, "hunter2");
        let network = &state.resources[&"strata_network.main".parse().unwrap()];
        assert_eq!(network.status, strata_state::InstanceStatus::Tainted);
        assert_eq!(network.provider.alias.as_deref(), Some("second"));

        let text = std::fs::read_to_string(&file).unwrap();
        let in_clear = ["hunter2", "ng-secret", "k-123"].iter().any(|secret| text.contains(secret));
        assert_eq!(in_clear, version == "v1", "{file:?}");
        assert_eq!(text.contains("\"$encrypted\""), version == "v2", "{file:?}");
        // Non-sensitive values stay readable.
        assert!(text.contains("\"user\": \"hadoop\"") && text.contains("j-2AXXXXXXGAPLF"), "{file:?}");

        let modules = read(&golden_key(), &testdata().join(format!("{version}-modules.json")));
        let quoted = r#"module.etl.strata_data.x["key with \"quotes\" and [brackets].dots"]"#.parse().unwrap();
        assert_eq!(modules.resources[&quoted].attributes["input"], "q");

        let intents = read(&golden_key(), &testdata().join(format!("{version}-intents.json")));
        assert_eq!(intents.intents.len(), 2);
        let intent = &intents.intents[&"emr_cluster.analytics[0]".parse().unwrap()];
        assert_eq!(intent.planned["name"], "analytics-0");
        assert_eq!(intent.sensitive_paths, vec![Vec::new()], "v1 intents are treated as sensitive");
    }
}

/// `v2-module-instances.json`: objects of repeated module calls (`module.web[2]`,
/// `module.db["eu"].module.inner`) are stored at their keyed addresses in the same version 2
/// (older files, without keys, read unchanged); resources are in address order, integer keys
/// by value (`[2]` before `[10]`), and a quoted key may hold what looks like address syntax.
#[test]
fn module_instance_addresses_are_typed_in_state() {
    let state = read(&golden_key(), &testdata().join("v2-module-instances.json"));
    let addresses: Vec<String> = state.resources.keys().map(ToString::to_string).collect();
    assert_eq!(
        addresses,
        [
            r#"module.db["eu"].module.inner.strata_file.f"#,
            r#"module.db["eu"].module.shard[1].strata_data.s"#,
            r#"module.db["key with \"quotes\" and ].module["].strata_data.x["a"]"#,
            "module.web[0].strata_data.x",
            "module.web[2].strata_data.x",
            "module.web[10].strata_data.x",
        ]
    );
    let tricky = state.resources.keys().nth(2).unwrap();
    assert_eq!(tricky.resource.module.steps().len(), 1);
    assert_eq!(
        tricky.resource.module.steps()[0].key,
        strata_addrs::InstanceKey::String("key with \"quotes\" and ].module[".into())
    );
    let inner = state.resources.keys().next().unwrap();
    assert_eq!(inner.resource.to_static().to_string(), "module.db.module.inner.strata_file.f");
    assert_eq!(state.resources[inner].dependencies[0].to_string(), "module.web.strata_data.x");
}

/// `v2-sensitive.json` has what v1 files cannot show: nested marks (only the outer value is
/// encrypted), a null secret, a path that does not fit (the deepest value reached is
/// encrypted), a sensitive output object and an intent with its own marks.
#[test]
fn v2_sensitive_golden_file_decrypts_to_its_values_and_marks() {
    let file = testdata().join("v2-sensitive.json");
    let text = std::fs::read_to_string(&file).unwrap();
    for secret in ["hunter2", "inner-secret", "6432", "tok-secret", "\"team\""] {
        assert!(!text.contains(secret), "{secret} is in clear text in {file:?}");
    }
    let state = read(&golden_key(), &file);
    let db = &state.resources[&"strata_data.db".parse().unwrap()];
    assert_eq!(
        db.attributes,
        serde_json::json!({
            "id": "db-1", "nested": {"inner": ["inner-secret", "x"], "level": 3}, "password": "hunter2",
            "ports": [5432, 6432], "unset_secret": null, "labels": {"team": "data"}
        })
    );
    let rendered = db.attributes_value().to_hcl();
    for secret in ["hunter2", "inner-secret", "6432", "data"] {
        assert!(!rendered.contains(secret), "{secret} shows in {rendered}");
    }
    assert!(rendered.contains("db-1") && rendered.contains("5432"), "{rendered}");
    assert_eq!(state.outputs["connection"].value, serde_json::json!({"host": "db", "password": "hunter2"}));
    let intent = &state.intents[&"strata_data.cache".parse().unwrap()];
    assert_eq!(intent.planned, serde_json::json!({"id": null, "name": "cache", "token": "tok-secret"}));
    assert!(intent.planned_value().contains_sensitive());
    assert!(text.contains("\"name\": \"cache\""), "only the marked part of the intent is encrypted");
}

/// Each case: file content, and a piece of the expected message.
#[test]
fn invalid_files_are_clear_errors() {
    let future = std::fs::read_to_string(testdata().join("future-v4.json")).unwrap();
    let cases: Vec<(&str, &str)> = vec![
        (
            &future,
            "has state format version 4, but this version of Strata reads versions 1 to 3; it was written by a newer Strata",
        ),
        (r#"{"version": 4, "terraform_version": "1.9.0"}"#, "is not a Strata state file"),
        (r#"{"format": "strata-state"}"#, "missing field `version`"),
        (r#"{"format": "strata-state", "version": 2, "serial": 1}"#, "missing field `lineage`"),
        (
            r#"{"format": "strata-state", "version": 2, "serial": 1, "lineage": "l",
                "resources": [{"address": "x", "provider": "provider.p", "attributes": {}}]}"#,
            "invalid address `x`: expected `.` at offset 1",
        ),
        (
            r#"{"format": "strata-state", "version": 1, "serial": 1, "lineage": "l",
                "resources": [{"address": "x.y", "provider": "provider.p", "attributes": {}},
                              {"address": "x.y", "provider": "provider.p", "attributes": {}}]}"#,
            "the resource x.y appears twice",
        ),
        (
            r#"{"format": "strata-state", "version": 2, "serial": 1, "lineage": "l",
                "resources": [{"address": "x.y", "provider": "provider.p", "attributes": {"s": {"$encrypted": "AQ=="}},
                               "sensitive_paths": [[{"attribute": "s"}]]}]}"#,
            "the encrypted value at x.y.s is malformed: it is too short",
        ),
        ("{", "EOF while parsing"),
    ];
    let path = Path::new("/states/prod.json");
    for (content, expected) in cases {
        let error = with_key_source(&golden_key(), || state_from_bytes(content.as_bytes(), path)).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("/states/prod.json"), "{message}");
        assert!(message.contains(expected), "expected `{expected}` in: {message}");
    }
    let missing = read_state_file(Path::new("/nonexistent/strata.state.json")).unwrap_err();
    assert!(missing.is_not_found());
    assert!(matches!(missing, StateError::Io { .. }));
    assert!(missing.to_string().starts_with("could not read /nonexistent/strata.state.json: "), "{missing}");
}

/// Fields a newer writer adds are ignored, and fields this version made optional default.
#[test]
fn unknown_fields_are_ignored_and_optional_fields_default() {
    for version in [1, 2] {
        let content = format!(
            r#"{{"format": "strata-state", "version": {version}, "serial": 2, "lineage": "l", "checksum": "x",
            "resources": [{{"address": "x.y", "provider": "provider.p", "attributes": {{"a": 1}}, "future": true}}]}}"#
        );
        let state = state_from_bytes(content.as_bytes(), Path::new("s.json")).unwrap();
        let instance = &state.resources[&"x.y".parse().unwrap()];
        assert_eq!(instance.status, strata_state::InstanceStatus::Ready);
        assert!(instance.dependencies.is_empty() && instance.sensitive_paths.is_empty());
    }
}
