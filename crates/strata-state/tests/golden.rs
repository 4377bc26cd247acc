//! Golden files under `testdata/state/`: every `v1-*.json` reads and writes back byte for byte;
//! error cases name what is wrong.

use std::path::{Path, PathBuf};

use strata_state::{StateError, read_state_file, state_from_bytes, state_to_bytes, write_state_atomically};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/state")
}

fn golden_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(testdata())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().unwrap().to_string_lossy().starts_with("v1-"))
        .collect();
    files.sort();
    files
}

#[test]
fn golden_files_round_trip_byte_for_byte() {
    let files = golden_files();
    assert!(files.len() >= 4, "expected the v1 golden files, found {files:?}");
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let original = std::fs::read(&file).unwrap();
        let state = read_state_file(&file).unwrap();
        let written = state_to_bytes(&state).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(original.clone()).unwrap(), "{file:?}");
        let copy = dir.path().join(file.file_name().unwrap());
        write_state_atomically(&copy, &state).unwrap();
        assert_eq!(std::fs::read(&copy).unwrap(), original, "{file:?} written atomically");
        assert_eq!(read_state_file(&copy).unwrap(), state);
    }
}

#[test]
fn golden_content_is_typed() {
    let state = read_state_file(&testdata().join("v1-resources.json")).unwrap();
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
    let network = &state.resources[&"strata_network.main".parse().unwrap()];
    assert_eq!(network.status, strata_state::InstanceStatus::Tainted);
    assert_eq!(network.provider.alias.as_deref(), Some("second"));

    let modules = read_state_file(&testdata().join("v1-modules.json")).unwrap();
    let quoted = r#"module.etl.strata_data.x["key with \"quotes\" and [brackets].dots"]"#.parse().unwrap();
    assert!(modules.resources.contains_key(&quoted));

    let intents = read_state_file(&testdata().join("v1-intents.json")).unwrap();
    assert_eq!(intents.intents.len(), 2);
}

/// Each case: file content, and a piece of the expected message.
#[test]
fn invalid_files_are_clear_errors() {
    let future = std::fs::read_to_string(testdata().join("future-v2.json")).unwrap();
    let cases: Vec<(&str, &str)> = vec![
        (
            &future,
            "has state format version 2, but this version of Strata reads only version 1; it was written by a newer Strata",
        ),
        (r#"{"version": 4, "terraform_version": "1.9.0"}"#, "is not a Strata state file"),
        (r#"{"format": "strata-state"}"#, "missing field `version`"),
        (r#"{"format": "strata-state", "version": 1, "serial": 1}"#, "missing field `lineage`"),
        (
            r#"{"format": "strata-state", "version": 1, "serial": 1, "lineage": "l",
                "resources": [{"address": "x", "provider": "provider.p", "attributes": {}}]}"#,
            "invalid address `x`: expected `.` at offset 1",
        ),
        (
            r#"{"format": "strata-state", "version": 1, "serial": 1, "lineage": "l",
                "resources": [{"address": "x.y", "provider": "provider.p", "attributes": {}},
                              {"address": "x.y", "provider": "provider.p", "attributes": {}}]}"#,
            "the resource x.y appears twice",
        ),
        ("{", "EOF while parsing"),
    ];
    let path = Path::new("/states/prod.json");
    for (content, expected) in cases {
        let error = state_from_bytes(content.as_bytes(), path).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("/states/prod.json "), "{message}");
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
    let content = r#"{"format": "strata-state", "version": 1, "serial": 2, "lineage": "l", "checksum": "x",
        "resources": [{"address": "x.y", "provider": "provider.p", "attributes": {"a": 1}, "future": true}]}"#;
    let state = state_from_bytes(content.as_bytes(), Path::new("s.json")).unwrap();
    let instance = &state.resources[&"x.y".parse().unwrap()];
    assert_eq!(instance.status, strata_state::InstanceStatus::Ready);
    assert!(instance.dependencies.is_empty() && instance.sensitive_paths.is_empty());
}
