//! Sensitive values at rest: never in clear text in the snapshot or the journal, back intact
//! in memory, and a clear error when the key is wrong or missing or a ciphertext was moved.

mod common;

use std::fs;
use std::path::Path;

use common::{address, journal_path, state_path};
use strata_addrs::ProviderConfigAddr;
use strata_state::{
    InstanceState, Intent, KeySource, Operation, OutputState, State, StateError, StateKey, StateStore, load,
    read_state_file, with_key_source,
};
use strata_value::Value;

const SECRETS: [&str; 5] = ["hunter2-instance", "hunter2-nested", "hunter2-output", "hunter2-intent", "hunter2-marked"];

fn provider() -> ProviderConfigAddr {
    "provider.strata".parse().unwrap()
}

/// An instance whose `password` and `nested` are sensitive (the latter with a mark inside).
fn secret_instance() -> Value {
    Value::map([
        ("id".to_owned(), Value::from("db-1")),
        ("password".to_owned(), Value::from("hunter2-instance").mark_sensitive()),
        (
            "nested".to_owned(),
            Value::map([("inner".to_owned(), Value::List(vec![Value::from("hunter2-nested").mark_sensitive()]))])
                .mark_sensitive(),
        ),
    ])
}

/// Every kind of operation that can carry a secret.
fn secret_operations() -> Vec<Operation> {
    let instance = InstanceState::from_value(provider(), 0, &secret_instance(), Vec::new()).unwrap();
    let marked = Value::map([
        ("name".to_owned(), Value::from("visible-name")),
        ("token".to_owned(), Value::from("hunter2-marked").mark_sensitive()),
    ]);
    vec![
        Operation::PutInstance { address: address("strata_data.db"), instance },
        Operation::PutOutput {
            name: "password".into(),
            output: OutputState { value: serde_json::json!({"p": "hunter2-output"}), sensitive: true },
        },
        Operation::PutOutput { name: "id".into(), output: OutputState { value: "db-1".into(), sensitive: false } },
        // Without marks the whole planned value is treated as sensitive.
        Operation::PutIntent {
            address: address("strata_data.new[0]"),
            intent: Intent::new(provider(), serde_json::json!({"password": "hunter2-intent"})),
        },
        Operation::PutIntent {
            address: address("strata_data.new[1]"),
            intent: Intent::from_value(provider(), &marked).unwrap(),
        },
    ]
}

async fn record_all(store: &StateStore, state: &mut State, operations: Vec<Operation>) {
    for operation in operations {
        let serial = store.record(operation.clone()).await.unwrap();
        state.apply(serial, operation);
    }
}

/// Every file of the state (`strata.state.json*`), as one text.
fn state_files(dir: &Path) -> String {
    let mut text = String::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with("strata.state.json") {
            text.push_str(&String::from_utf8_lossy(&fs::read(&path).unwrap()));
        }
    }
    text
}

fn assert_no_secret(text: &str, what: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} is in {what}:\n{text}");
    }
}

/// The grep: after writing through the store, no sensitive string is in the bytes of the
/// journal or of the snapshot, and everything reads back as it was.
#[tokio::test]
async fn sensitive_values_never_reach_the_snapshot_or_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    record_all(&store, &mut state, secret_operations()).await;

    let journal = fs::read_to_string(journal_path(&dir)).unwrap();
    assert_no_secret(&journal, "the journal");
    assert!(journal.contains("\"$encrypted\"") && journal.contains("visible-name") && journal.contains("db-1"));
    drop(store);
    assert_eq!(load(&state_path(&dir)).unwrap().0, state, "replayed from the journal");

    let (store, reopened, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert_eq!(reopened, state);
    store.compact().await.unwrap();
    drop(store);
    let snapshot = fs::read_to_string(state_path(&dir)).unwrap();
    assert_no_secret(&snapshot, "the snapshot");
    assert_no_secret(&state_files(dir.path()), "the state files");
    assert!(snapshot.contains("\"version\": 2") && snapshot.contains("visible-name"));

    let (loaded, _) = load(&state_path(&dir)).unwrap();
    assert_eq!(loaded, state);
    let instance = &loaded.resources[&address("strata_data.db")];
    assert_eq!(instance.attributes_value(), secret_instance(), "decode_value sees the same marks");
    assert_eq!(loaded.intents[&address("strata_data.new[1]")].planned["token"], "hunter2-marked");

    if std::env::var(strata_state::KEY_ENV).is_err() {
        let key_file = dir.path().join(".strata/state.key");
        assert!(key_file.exists(), "the key was made beside the state");
        assert!(fs::read_to_string(dir.path().join(".strata/.gitignore")).unwrap().contains("/state.key"));
    }
}

/// A state without sensitive values needs no key at all.
#[tokio::test]
async fn a_state_without_secrets_needs_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = KeySource::key_file(dir.path().join("missing/state.key"));
    let (store, mut state, _) = StateStore::open_with_key_source(&state_path(&dir), nowhere.clone()).await.unwrap();
    let output = OutputState { value: "plain".into(), sensitive: false };
    record_all(&store, &mut state, vec![Operation::PutOutput { name: "a".into(), output }]).await;
    store.compact().await.unwrap();
    drop(store);
    assert_eq!(with_key_source(&nowhere, || load(&state_path(&dir))).unwrap().0, state);
    assert!(!dir.path().join("missing").exists());
}

#[tokio::test]
async fn a_wrong_or_missing_key_is_an_error_naming_the_state_the_key_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let right = StateKey::generate().unwrap();
    let wrong = StateKey::generate().unwrap();
    let (store, mut state, _) =
        StateStore::open_with_key_source(&state_path(&dir), KeySource::given(right.clone())).await.unwrap();
    record_all(&store, &mut state, secret_operations()).await;
    drop(store);

    let message = |error: StateError| {
        assert!(matches!(error, StateError::Key { .. }), "{error:?}");
        error.to_string()
    };
    // Still in the journal: the journal is named.
    let error = with_key_source(&KeySource::given(wrong.clone()), || load(&state_path(&dir))).unwrap_err();
    let text = message(error);
    assert!(text.starts_with(&format!("{}: ", journal_path(&dir).display())), "{text}");
    assert!(text.contains(&format!("is encrypted with key {}, but the key from", right.id())), "{text}");
    assert!(text.contains(&wrong.id()) && text.contains("provide the key the state was written with"), "{text}");

    // Compacted: the snapshot is named, by the store too (no panic, no silent null).
    let (store, _, _) =
        StateStore::open_with_key_source(&state_path(&dir), KeySource::given(right.clone())).await.unwrap();
    store.compact().await.unwrap();
    drop(store);
    let opened = StateStore::open_with_key_source(&state_path(&dir), KeySource::given(wrong)).await;
    let text = message(opened.err().expect("the wrong key is refused"));
    assert!(text.starts_with(&format!("{}: the sensitive value at strata_data.db", state_path(&dir).display())));

    // No key at all: where it was looked up and how to provide it.
    let key_file = dir.path().join(".strata/state.key");
    let error = with_key_source(&KeySource::key_file(&key_file), || read_state_file(&state_path(&dir))).unwrap_err();
    let text = message(error);
    assert!(text.contains("holds encrypted sensitive values, but there is no key to decrypt them"), "{text}");
    assert!(text.contains(&format!("the key file {} does not exist", key_file.display())), "{text}");
    if std::env::var(strata_state::KEY_ENV).is_err() {
        // The default lookup for a local state: STRATA_STATE_KEY, then the key file beside it.
        let text = message(load(&state_path(&dir)).unwrap_err());
        assert!(
            text.contains(&format!(
                "STRATA_STATE_KEY is not set and the key file {} does not exist",
                key_file.display()
            )),
            "{text}"
        );
        assert!(text.contains("set STRATA_STATE_KEY to the key (base64) the state was written with"), "{text}");
        assert!(!key_file.exists(), "reading never makes a key");
    }

    // With the right key in the key file, the default lookup reads it.
    fs::create_dir_all(key_file.parent().unwrap()).unwrap();
    fs::write(&key_file, right.to_base64()).unwrap();
    let (loaded, _) = with_key_source(&KeySource::key_file(&key_file), || load(&state_path(&dir))).unwrap();
    assert_eq!(loaded, state);
}

/// Copying a ciphertext to another attribute, resource or output does not decrypt there.
#[test]
fn a_ciphertext_moved_to_another_path_or_resource_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeySource::given(StateKey::generate().unwrap());
    let two_secrets = Value::map([
        ("x".to_owned(), Value::from("one").mark_sensitive()),
        ("y".to_owned(), Value::from("two").mark_sensitive()),
    ]);
    let mut state = State::new();
    for name in ["strata_data.a", "strata_data.b"] {
        let instance = InstanceState::from_value(provider(), 0, &two_secrets, Vec::new()).unwrap();
        state.resources.insert(address(name), instance);
    }
    state.outputs.insert("o".into(), OutputState { value: "three".into(), sensitive: true });
    with_key_source(&keys, || strata_state::write_state_atomically(&state_path(&dir), &state)).unwrap();
    let original: serde_json::Value = serde_json::from_slice(&fs::read(state_path(&dir)).unwrap()).unwrap();
    assert_eq!(with_key_source(&keys, || read_state_file(&state_path(&dir))).unwrap(), state);

    // Each case: where a ciphertext is copied from and to (JSON pointers), and where it fails.
    let cases = [
        ("/resources/0/attributes/x", "/resources/0/attributes/y", "strata_data.a.y"),
        ("/resources/0/attributes/x", "/resources/1/attributes/x", "strata_data.b.x"),
        ("/resources/0/attributes/x", "/outputs/o/value", "output.o"),
    ];
    for (from, to, location) in cases {
        let what = format!("{from} copied to {to}");
        let mut document = original.clone();
        *document.pointer_mut(to).unwrap() = original.pointer(from).unwrap().clone();
        fs::write(state_path(&dir), serde_json::to_vec_pretty(&document).unwrap()).unwrap();
        let error = with_key_source(&keys, || read_state_file(&state_path(&dir))).unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, StateError::Key { .. }), "{what}: {text}");
        assert!(
            text.contains(&format!("the sensitive value at {location} does not decrypt"))
                && text.contains("moved here from another attribute or resource"),
            "{what}: {text}"
        );
    }
}

/// A version 1 state (secrets in clear text, in the snapshot and in a journal record) still
/// loads; opening the store rewrites it as version 2, with the journal folded in.
#[tokio::test]
async fn a_version_1_state_still_reads_and_is_encrypted_on_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/state/v1-resources.json");
    fs::copy(golden, state_path(&dir)).unwrap();
    let v1 = read_state_file(&state_path(&dir)).unwrap();
    let journal = format!(
        "{}\n{}\n",
        serde_json::json!({"format": "strata-state-journal", "version": 1, "lineage": v1.lineage}),
        serde_json::json!({"serial": 8, "op": "put_instance", "address": "strata_data.db", "instance": {
            "provider": "provider.strata", "attributes": {"password": "hunter2-instance"},
            "sensitive_paths": [[{"attribute": "password"}]]}}),
    );
    fs::write(journal_path(&dir), journal).unwrap();
    assert!(state_files(dir.path()).contains("hunter2"));

    let (old, _) = load(&state_path(&dir)).unwrap();
    assert_eq!(old.serial, 8);
    assert_eq!(old.resources[&address("strata_data.db")].attributes["password"], "hunter2-instance");
    assert_eq!(old.outputs["admin_password"].value, "hunter2");

    let (store, opened, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert_eq!(opened, old);
    assert_eq!(fs::metadata(journal_path(&dir)).unwrap().len(), 0, "the v1 journal is folded into the snapshot");
    let files = state_files(dir.path());
    assert!(!files.contains("hunter2") && !files.contains("ng-secret") && !files.contains("k-123"), "{files}");
    assert!(files.contains("\"version\": 2"));
    drop(store);
    assert_eq!(load(&state_path(&dir)).unwrap().0, old);
}

/// Serde of an operation (what the PostgreSQL backend stores as a journal row) encrypts too,
/// with the scoped key.
#[test]
fn operations_are_encrypted_by_serde_for_every_backend() {
    let keys = KeySource::given(StateKey::generate().unwrap());
    for operation in secret_operations() {
        let text = with_key_source(&keys, || serde_json::to_string(&operation)).unwrap();
        assert_no_secret(&text, "a serialized operation");
        let back: Operation = with_key_source(&keys, || serde_json::from_str(&text)).unwrap();
        assert_eq!(back, operation);
        if matches!(operation, Operation::PutOutput { output: OutputState { sensitive: false, .. }, .. }) {
            continue;
        }
        let other = KeySource::given(StateKey::generate().unwrap());
        let error = with_key_source(&other, || serde_json::from_str::<Operation>(&text)).unwrap_err();
        assert!(error.to_string().contains("is encrypted with key"), "{error}");
    }
}
