//! Reading a state ahead of its lock: used only when the files still hold the same bytes.

mod common;

use common::{put, state_path};
use strata_state::{ReadAhead, State, StateStore, load};

/// A state with a snapshot and a journal (a record not yet compacted in).
async fn state_on_disk(dir: &tempfile::TempDir) -> State {
    let path = state_path(dir);
    let (store, mut state, _) = StateStore::open(&path).await.unwrap();
    for name in ["strata_data.a", "strata_data.b"] {
        let operation = put(name);
        let serial = store.record(operation.clone()).await.unwrap();
        state.apply(serial, operation);
    }
    drop(store);
    state
}

#[tokio::test]
async fn unchanged_files_give_what_a_read_under_the_lock_gives() {
    let dir = tempfile::tempdir().unwrap();
    let expected = state_on_disk(&dir).await;
    let path = state_path(&dir);
    let ahead = ReadAhead::start(&path);
    assert_eq!(ahead.path(), path);
    let (state, warnings) = ahead.load().unwrap();
    assert_eq!(state, expected);
    assert_eq!(state, load(&path).unwrap().0);
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// Another writer changed the state between the read ahead and the lock: the state is what
/// the files hold now, not what was read ahead.
#[tokio::test]
async fn files_changed_after_the_read_ahead_are_read_again() {
    let dir = tempfile::tempdir().unwrap();
    state_on_disk(&dir).await;
    let path = state_path(&dir);
    let ahead = ReadAhead::start(&path);
    // Let the read ahead finish on the old files, then change them.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (store, mut state, _) = StateStore::open(&path).await.unwrap();
    let operation = put("strata_data.c");
    let serial = store.record(operation.clone()).await.unwrap();
    state.apply(serial, operation);
    drop(store);
    let (read, _) = ahead.load().unwrap();
    assert_eq!(read, state);
    assert_eq!(read.resources.len(), 3);
}

/// No state file: the same error as a plain read.
#[test]
fn a_missing_state_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let error = ReadAhead::start(&state_path(&dir)).load().unwrap_err();
    assert!(error.is_not_found(), "{error}");
}
