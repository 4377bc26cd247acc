//! `strata_file` against a temporary directory: apply, drift on read, delete, crash recovery.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::obj;
use strata_provider::{ApplyRequest, FindRequest, Provider, ReadRequest};
use strata_provider_strata::StrataProvider;
use strata_value::{Type, Value};

const TOKEN: &str = "0b7e3d52-3f0e-4a55-9d8b-4c1f7a2e9b61";

fn path_of(path: &Path) -> Value {
    Value::from(path.to_str().unwrap())
}

fn config(path: &Path, content: Value, mode: &str) -> Value {
    obj(&[
        ("path", path_of(path)),
        ("content", content),
        ("mode", Value::from(mode)),
        ("id", Value::Unknown(Type::String)),
    ])
}

fn state(path: &Path, content: Value, mode: &str) -> Value {
    obj(&[("path", path_of(path)), ("content", content), ("mode", Value::from(mode)), ("id", path_of(path))])
}

async fn apply(prior: Option<Value>, config: Value) -> Result<Option<Value>, strata_provider::ProviderError> {
    let planned = if config.is_null() { None } else { Some(config.clone()) };
    let request = ApplyRequest {
        type_name: "strata_file".into(),
        prior,
        planned,
        config,
        idempotency_token: TOKEN.into(),
        progress: Default::default(),
    };
    StrataProvider::new().apply(request).await.map(|response| response.new_state)
}

async fn read(current: Value) -> Option<Value> {
    StrataProvider::new().read(ReadRequest { type_name: "strata_file".into(), current }).await.unwrap()
}

async fn find(planned: Value) -> Option<Value> {
    let request = FindRequest { type_name: "strata_file".into(), idempotency_token: TOKEN.into(), planned };
    StrataProvider::new().find_by_token(request).await.unwrap()
}

fn mode_bits(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn names_in(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(directory).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn create_writes_content_and_mode_and_creates_parents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/file.txt");
    let new_state = apply(None, config(&path, Value::from("hello\n"), "0600")).await.unwrap();
    assert_eq!(new_state, Some(state(&path, Value::from("hello\n"), "0600")));
    assert_eq!(fs::read_to_string(&path).unwrap(), "hello\n");
    assert_eq!(mode_bits(&path), 0o600);
    assert_eq!(names_in(path.parent().unwrap()), ["file.txt"], "no temp file left");
}

#[tokio::test]
async fn mode_is_exact_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    for (mode, bits) in [("0777", 0o777), ("755", 0o755), ("0400", 0o400), ("0644", 0o644)] {
        let path = dir.path().join(mode);
        apply(None, config(&path, Value::from("x"), mode)).await.unwrap();
        assert_eq!(mode_bits(&path), bits, "mode {mode}");
    }
}

#[tokio::test]
async fn applying_the_same_create_twice_leaves_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice");
    let first = apply(None, config(&path, Value::from("same"), "0644")).await.unwrap();
    let second = apply(None, config(&path, Value::from("same"), "0644")).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(names_in(dir.path()), ["twice"]);
    assert_eq!(fs::read_to_string(&path).unwrap(), "same");
}

#[tokio::test]
async fn update_rewrites_content_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    let prior = apply(None, config(&path, Value::from("one"), "0644")).await.unwrap();
    let secret = Value::from("two").mark_sensitive();
    let new_state = apply(prior, config(&path, secret.clone(), "0640")).await.unwrap();
    assert_eq!(new_state, Some(state(&path, secret, "0640")));
    assert_eq!(fs::read_to_string(&path).unwrap(), "two");
    assert_eq!(mode_bits(&path), 0o640);
}

#[tokio::test]
async fn read_reports_drift() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    let current = apply(None, config(&path, Value::from("one"), "644")).await.unwrap().unwrap();

    // Unchanged: the state as it is, spelling of the mode ("644") included.
    assert_eq!(read(current.clone()).await, Some(current.clone()));

    // Edited outside Strata: the content as found.
    fs::write(&path, "edited").unwrap();
    assert_eq!(read(current.clone()).await, Some(state(&path, Value::from("edited"), "644")));

    // chmod outside Strata: the mode as found.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(read(current.clone()).await, Some(state(&path, Value::from("edited"), "0600")));

    // Deleted outside Strata: gone.
    fs::remove_file(&path).unwrap();
    assert_eq!(read(current).await, None);
}

#[tokio::test]
async fn read_keeps_the_sensitive_mark_on_drifted_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret");
    let current = apply(None, config(&path, Value::from("pw").mark_sensitive(), "0600")).await.unwrap().unwrap();
    assert_eq!(read(current.clone()).await, Some(current.clone()));
    fs::write(&path, "other").unwrap();
    let refreshed = read(current).await.unwrap();
    assert_eq!(refreshed, state(&path, Value::from("other").mark_sensitive(), "0600"));
}

#[tokio::test]
async fn delete_removes_the_file_and_tolerates_it_being_gone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    let prior = apply(None, config(&path, Value::from("x"), "0644")).await.unwrap();
    assert_eq!(apply(prior.clone(), Value::Null).await.unwrap(), None);
    assert!(!path.exists());
    assert_eq!(apply(prior, Value::Null).await.unwrap(), None, "already gone");
}

#[tokio::test]
async fn find_by_token_cleans_up_the_temp_file_and_finds_nothing_before_the_rename() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    // A crash between writing the temp file and renaming it.
    let temp = dir.path().join("f.tmp-strata");
    fs::write(&temp, "half").unwrap();
    assert_eq!(find(config(&path, Value::from("full"), "0644")).await, None);
    assert!(names_in(dir.path()).is_empty(), "temp file removed: {:?}", names_in(dir.path()));
}

#[tokio::test]
async fn find_by_token_adopts_the_file_written_before_the_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    fs::write(&path, "full").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    fs::write(dir.path().join("f.tmp-strata"), "leftover").unwrap();
    let found = find(config(&path, Value::from("full"), "0644")).await;
    assert_eq!(found, Some(state(&path, Value::from("full"), "0644")));
    assert_eq!(names_in(dir.path()), ["f"]);
}

#[tokio::test]
async fn import_reads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    fs::write(&path, "there").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let provider = StrataProvider::new();
    let imported = provider.import("strata_file", path.to_str().unwrap()).await.unwrap();
    assert_eq!(imported, Some(state(&path, Value::from("there"), "0640")));
    let missing = dir.path().join("missing");
    assert_eq!(provider.import("strata_file", missing.to_str().unwrap()).await.unwrap(), None);
}

#[tokio::test]
async fn errors_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a directory should be fails even for root.
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, "").unwrap();
    let path = blocker.join("f");
    let error = apply(None, config(&path, Value::from("x"), "0644")).await.unwrap_err();
    assert!(error.message.contains(blocker.to_str().unwrap()), "{error}");
    assert_eq!(error.attribute.as_deref(), Some("path"));
}
