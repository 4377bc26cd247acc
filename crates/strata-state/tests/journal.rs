//! The store's journal: replay after a crash, torn tails, compaction and its crash window.

mod common;

use std::fs::{self, OpenOptions};
use std::io::Write;

use common::{address, journal_path, put, remove, state_path};
use strata_state::{
    Intent, Operation, OutputState, State, StateError, StateStore, StateWarning, load, read_state_file,
};

/// A mixed run of every kind of operation.
fn operations() -> Vec<Operation> {
    let intent = Intent::new("provider.strata".parse().unwrap(), serde_json::json!({"id": null}));
    vec![
        put("strata_data.root"),
        Operation::PutIntent { address: address("module.m.strata_data.x[\"k\"]"), intent: intent.clone() },
        put("module.m.strata_data.x[\"k\"]"),
        Operation::PutIntent { address: address("strata_data.y[0]"), intent },
        Operation::ClearIntent { address: address("strata_data.y[0]") },
        put("data.local_file.f[1]"),
        remove("data.local_file.f[1]"),
        Operation::PutOutput { name: "a".into(), output: OutputState { value: serde_json::json!(1), sensitive: true } },
        Operation::PutOutput {
            name: "b".into(),
            output: OutputState { value: serde_json::json!([2]), sensitive: false },
        },
        Operation::RemoveOutput { name: "b".into() },
    ]
}

/// Records `operations` in order, applying each to the caller's copy as an engine would.
async fn record_all(store: &StateStore, state: &mut State, operations: Vec<Operation>) {
    for operation in operations {
        let serial = store.record(operation.clone()).await.unwrap();
        state.apply(serial, operation);
    }
}

#[tokio::test]
async fn reopening_without_compaction_replays_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, warnings) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert!(warnings.is_empty());
    assert_eq!(state.serial, 0);
    record_all(&store, &mut state, operations()).await;
    assert_eq!(state.serial, 10);
    assert_eq!(state.resources.len(), 2);
    assert_eq!(state.intents.len(), 0, "put_instance cleared its intent, clear_intent the other");
    drop(store);

    let (store, reopened, warnings) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert!(warnings.is_empty());
    assert_eq!(reopened, state);
    // The snapshot alone is still the empty state: everything came from the journal.
    assert_eq!(read_state_file(&state_path(&dir)).unwrap().serial, 0);
    // Appending after a reopen continues the serials.
    assert_eq!(store.record(remove("strata_data.root")).await.unwrap(), 11);
    drop(store);
    assert_eq!(load(&state_path(&dir)).unwrap().0.serial, 11);
}

#[tokio::test]
async fn a_torn_last_line_is_a_warning_and_complete_records_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    record_all(&store, &mut state, operations()).await;
    drop(store);
    // A crash part way through appending the next record.
    let torn = br#"{"serial":11,"op":"put_instance","address":"x.y","inst"#;
    OpenOptions::new().append(true).open(journal_path(&dir)).unwrap().write_all(torn).unwrap();

    let (loaded, warnings) = load(&state_path(&dir)).unwrap();
    assert_eq!(loaded, state);
    assert_eq!(
        warnings,
        vec![StateWarning::TornJournalTail { path: journal_path(&dir), line: 12, bytes: torn.len() as u64 }]
    );
    assert!(warnings[0].to_string().contains("ignored an incomplete record at the end of"), "{}", warnings[0]);

    // Opening cuts the tail off, so the next record starts on a fresh line.
    let (store, reopened, warnings) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert_eq!(reopened, state);
    assert_eq!(warnings.len(), 1);
    assert_eq!(store.record(remove("strata_data.root")).await.unwrap(), 11);
    drop(store);
    let (after, warnings) = load(&state_path(&dir)).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(after.serial, 11);
    assert!(!after.resources.contains_key(&address("strata_data.root")));
}

#[tokio::test]
async fn compaction_leaves_an_empty_journal_and_an_equal_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    record_all(&store, &mut state, operations()).await;
    assert_eq!(store.compact().await.unwrap(), 10);
    assert_eq!(fs::metadata(journal_path(&dir)).unwrap().len(), 0);
    assert_eq!(read_state_file(&state_path(&dir)).unwrap(), state);
    assert!(!dir.path().join("strata.state.json.tmp").exists());

    // The journal starts over (header first) and replays on top of the new snapshot.
    record_all(&store, &mut state, vec![remove("strata_data.root")]).await;
    drop(store);
    let journal = fs::read_to_string(journal_path(&dir)).unwrap();
    assert_eq!(journal.lines().count(), 2, "{journal}");
    assert!(journal.starts_with(r#"{"format":"strata-state-journal","version":3,"lineage":""#), "{journal}");
    assert_eq!(load(&state_path(&dir)).unwrap().0, state);
}

/// A crash after the new snapshot was renamed into place but before the journal was truncated
/// leaves a journal whose records are all at or below the snapshot's serial.
#[tokio::test]
async fn a_crash_between_rename_and_truncate_replays_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    record_all(&store, &mut state, operations()).await;
    drop(store);
    let old_journal = fs::read(journal_path(&dir)).unwrap();
    let (store, _, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    store.compact().await.unwrap();
    drop(store);
    fs::write(journal_path(&dir), &old_journal).unwrap();

    let (store, reopened, warnings) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert!(warnings.is_empty());
    assert_eq!(reopened, state, "replaying `remove` or `put_output` twice would be visible here");
    // New records go after the stale ones and replay on top of the snapshot.
    assert_eq!(store.record(put("strata_data.new")).await.unwrap(), 11);
    drop(store);
    let (after, _) = load(&state_path(&dir)).unwrap();
    assert_eq!(after.serial, 11);
    assert!(after.resources.contains_key(&address("strata_data.new")));
}

/// Journals that cannot be trusted are errors naming the file, never a silently smaller state.
#[tokio::test]
async fn untrustworthy_journals_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    record_all(&store, &mut state, operations()).await;
    drop(store);
    let journal = fs::read_to_string(journal_path(&dir)).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    let journal_name = journal_path(&dir).display().to_string();

    // Each case: how to damage the files, and a piece of the expected message.
    let cases: Vec<(String, Option<&str>, &str)> = vec![
        (format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]), None, "has serial 3 but 2 was expected"),
        (
            format!("{}\nnot json\n{}\n", lines[0], lines[1]),
            None,
            "line 2 is not a valid journal record, and valid data follows it",
        ),
        (
            journal.replace(&state.lineage, "00000000-0000-4000-8000-000000000000"),
            None,
            "belongs to state lineage 00000000-0000-4000-8000-000000000000",
        ),
        (journal.replacen("\"version\":3", "\"version\":9", 1), None, "has state format version 9"),
        (journal.clone(), Some("remove snapshot"), "exists but the snapshot"),
    ];
    let snapshot = fs::read(state_path(&dir)).unwrap();
    for (content, action, expected) in cases {
        fs::write(journal_path(&dir), &content).unwrap();
        fs::write(state_path(&dir), &snapshot).unwrap();
        if action == Some("remove snapshot") {
            fs::remove_file(state_path(&dir)).unwrap();
        }
        let error = match StateStore::open(&state_path(&dir)).await {
            Err(error) => error,
            Ok(_) => panic!("expected an error containing `{expected}`"),
        };
        let message = error.to_string();
        assert!(message.contains(expected), "expected `{expected}` in: {message}");
        assert!(message.contains(&journal_name), "the message names the journal: {message}");
        assert!(!matches!(error, StateError::Io { .. }));
    }
}

#[tokio::test]
async fn opening_a_new_path_writes_an_empty_snapshot_with_a_new_lineage() {
    let dir = tempfile::tempdir().unwrap();
    let (store, state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    drop(store);
    let on_disk = read_state_file(&state_path(&dir)).unwrap();
    assert_eq!(on_disk, state);
    assert_eq!(uuid::Uuid::parse_str(&state.lineage).unwrap().get_version_num(), 4);
    let (_, other, _) = StateStore::open(&tempfile::tempdir().unwrap().path().join("s.json")).await.unwrap();
    assert_ne!(other.lineage, state.lineage);
    assert!(load(&dir.path().join("absent.json")).unwrap_err().is_not_found());
}

/// `state mv` and `state rm` of a module are one record each, replayed like the others.
#[tokio::test]
async fn module_moves_and_removals_replay_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    record_all(&store, &mut state, vec![put("module.a.strata_data.x"), put("module.a.module.b.strata_data.y")]).await;
    let from: strata_state::StateAddress = "module.a".parse().unwrap();
    let to: strata_state::StateAddress = "module.a[0]".parse().unwrap();
    let moved = strata_state::move_operation(&state, &from, &to).unwrap();
    record_all(&store, &mut state, vec![moved]).await;
    let listed: Vec<String> = state.resources.keys().map(ToString::to_string).collect();
    assert_eq!(listed, ["module.a[0].strata_data.x", "module.a[0].module.b.strata_data.y"]);
    let journal = fs::read_to_string(journal_path(&dir)).unwrap();
    assert!(
        journal.contains(
            r#""op":"move_instances","moves":[{"from":"module.a.strata_data.x","to":"module.a[0].strata_data.x"}"#
        ),
        "{journal}"
    );
    drop(store);

    let (store, reopened, warnings) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert!(warnings.is_empty());
    assert_eq!(reopened, state);
    let removed = strata_state::remove_operation(&state, &"module.a[0].module.b".parse().unwrap()).unwrap();
    record_all(&store, &mut state, vec![removed]).await;
    drop(store);
    let (_, reopened, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert_eq!(reopened, state);
    assert_eq!(reopened.resources.keys().map(ToString::to_string).collect::<Vec<_>>(), ["module.a[0].strata_data.x"]);
}

/// A module moved to another call records the modules it moves between, and the replay
/// carries the moved objects' dependencies inside the module along.
#[tokio::test]
async fn a_move_between_module_calls_replays_with_its_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    let Operation::PutInstance { address: x, mut instance } = put("module.a.strata_data.x") else { unreachable!() };
    instance.dependencies = vec!["module.a.strata_data.y".parse().unwrap()];
    record_all(
        &store,
        &mut state,
        vec![Operation::PutInstance { address: x, instance }, put("module.a.strata_data.y")],
    )
    .await;
    let moved = strata_state::move_operation(&state, &"module.a".parse().unwrap(), &"module.b".parse().unwrap());
    record_all(&store, &mut state, vec![moved.unwrap()]).await;
    let journal = fs::read_to_string(journal_path(&dir)).unwrap();
    assert!(journal.contains(r#""modules":{"from":"module.a","to":"module.b"}"#), "{journal}");
    drop(store);
    let (_, reopened, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert_eq!(reopened, state);
    let x = &reopened.resources[&address("module.b.strata_data.x")];
    assert_eq!(x.dependencies, vec!["module.b.strata_data.y".parse().unwrap()]);
}

/// Journals written before version 3 may already hold module moves (the previous build wrote
/// them under a version 2 header): they replay, and opening the store folds such a journal into
/// the snapshot so new records start a version 3 journal.
#[tokio::test]
async fn a_version_2_journal_with_a_module_move_replays_and_is_folded_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    record_all(&store, &mut state, vec![put("module.a.strata_data.x")]).await;
    let from: strata_state::StateAddress = "module.a".parse().unwrap();
    let to: strata_state::StateAddress = "module.a[0]".parse().unwrap();
    let moved = strata_state::move_operation(&state, &from, &to).unwrap();
    record_all(&store, &mut state, vec![moved]).await;
    drop(store);
    let journal = fs::read_to_string(journal_path(&dir)).unwrap();
    let header_v3 = r#"{"format":"strata-state-journal","version":3,"#;
    assert!(journal.starts_with(header_v3), "{journal}");
    let old = journal.replacen(header_v3, r#"{"format":"strata-state-journal","version":2,"#, 1);
    fs::write(journal_path(&dir), &old).unwrap();

    assert_eq!(load(&state_path(&dir)).unwrap().0, state);
    let (store, reopened, warnings) = StateStore::open(&state_path(&dir)).await.unwrap();
    assert!(warnings.is_empty());
    assert_eq!(reopened, state);
    assert_eq!(fs::metadata(journal_path(&dir)).unwrap().len(), 0, "the old journal is folded into the snapshot");
    drop(store);
    assert_eq!(read_state_file(&state_path(&dir)).unwrap(), state);
}
