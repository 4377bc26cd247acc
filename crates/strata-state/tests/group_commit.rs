//! Many concurrent completions: every `record` returns only once its record is durable, and
//! they share fsyncs. Nothing here measures time.

mod common;

use std::sync::Arc;

use common::{put, state_path};
use strata_state::{StateStore, load};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_concurrent_records_all_reach_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state, _) = StateStore::open(&state_path(&dir)).await.unwrap();
    let store = Arc::new(store);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..2000 {
        let store = store.clone();
        tasks.spawn(async move {
            let operation = put(&format!("strata_data.r[{i}]"));
            let serial = store.record(operation.clone()).await.unwrap();
            (serial, operation)
        });
    }
    let mut serials = Vec::new();
    while let Some(result) = tasks.join_next().await {
        let (serial, operation) = result.unwrap();
        serials.push(serial);
        // Results arrive in any order; `apply` keeps the highest serial.
        state.apply(serial, operation);
    }
    serials.sort_unstable();
    assert_eq!(serials, (1..=2000).collect::<Vec<_>>(), "each record gets its own serial");
    assert_eq!(state.serial, 2000);
    assert!(store.journal_batches() >= 1 && store.journal_batches() <= 2000);
    drop(tasks);
    let store = Arc::into_inner(store).unwrap();
    drop(store);

    let (loaded, warnings) = load(&state_path(&dir)).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(loaded.resources.len(), 2000);
    assert_eq!(loaded, state);
}
