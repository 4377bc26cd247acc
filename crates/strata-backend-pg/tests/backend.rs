//! `PgBackend` against a real server: round trips, compaction, group commit, fencing and the
//! checks made when loading.

mod common;

use common::{client, every_kind, output, put, server, unique_schema};
use futures::future::join_all;
use strata_backend_pg::PgBackend;
use strata_state::{StateBackend, StateError, state_to_bytes};

async fn journal_rows(conn_str: &str, schema: &str) -> i64 {
    let client = client(conn_str).await;
    client.query_one(&format!("SELECT count(*) FROM \"{schema}\".journal"), &[]).await.unwrap().get(0)
}

#[tokio::test]
async fn records_survive_a_reopen_and_a_compaction() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let (backend, mut state, warnings) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    assert!(warnings.is_empty());
    assert_eq!(state.serial, 0);
    for operation in every_kind() {
        let serial = backend.record(operation.clone()).await.unwrap();
        state.apply(serial, operation);
    }
    assert_eq!(state.serial, 11);
    assert_eq!(state.resources.len(), 3);
    assert!(state.intents.is_empty(), "put_instance cleared one intent, clear_intent the other");
    backend.close().await;
    assert_eq!(journal_rows(&conn_str, &schema).await, 11);

    let (backend, reopened, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    assert_eq!(reopened, state);
    // The journal keeps each operation as written: the state serializes to the same bytes.
    assert_eq!(state_to_bytes(&reopened).unwrap(), state_to_bytes(&state).unwrap());

    // Through the trait, as the engine calls it.
    let dynamic: &dyn StateBackend = &backend;
    assert_eq!(dynamic.compact().await.unwrap(), 11);
    assert_eq!(journal_rows(&conn_str, &schema).await, 0);
    assert_eq!(dynamic.record(put("strata_data.after")).await.unwrap(), 12);
    state.apply(12, put("strata_data.after"));
    backend.close().await;

    let (backend, reopened, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    assert_eq!(reopened, state);
    assert_eq!(backend.compact().await.unwrap(), 12);
    backend.close().await;
    let (_, reopened, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    assert_eq!(reopened, state);
    assert_eq!(state_to_bytes(&reopened).unwrap(), state_to_bytes(&state).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_records_share_commits_and_all_survive() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let (backend, _, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    let records = (0..2000).map(|i| backend.record(output(&format!("o{i}"), serde_json::json!(i))));
    let mut serials: Vec<u64> = join_all(records).await.into_iter().map(Result::unwrap).collect();
    serials.sort_unstable();
    assert_eq!(serials, (1..=2000).collect::<Vec<_>>());
    let batches = backend.journal_batches();
    assert!(batches < 100, "2,000 queued records took {batches} commits");
    backend.close().await;

    let (_, state, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    assert_eq!(state.serial, 2000);
    assert_eq!(state.outputs.len(), 2000);
    assert_eq!(state.outputs["o1234"].value, serde_json::json!(1234));
}

#[tokio::test]
async fn states_of_one_schema_are_separate() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let (first, _, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    let (second, other, _) = PgBackend::open(&conn_str, &schema, "staging").await.unwrap();
    assert_eq!(first.record(put("strata_data.a")).await.unwrap(), 1);
    assert_eq!(second.record(put("strata_data.b")).await.unwrap(), 1);
    first.close().await;
    second.close().await;
    let (_, reopened, _) = PgBackend::open(&conn_str, &schema, "staging").await.unwrap();
    assert_eq!(reopened.lineage, other.lineage);
    assert_eq!(reopened.resources.keys().map(ToString::to_string).collect::<Vec<_>>(), ["strata_data.b"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_opens_of_a_new_state_agree_on_its_lineage() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let opens = (0..4).map(|_| PgBackend::open(&conn_str, &schema, "default"));
    let opened: Vec<_> = join_all(opens).await.into_iter().map(Result::unwrap).collect();
    let lineage = &opened[0].1.lineage;
    assert!(opened.iter().all(|(_, state, _)| &state.lineage == lineage));
}

/// Two writers of one state (no lock held) cannot interleave: the second one's serial is taken,
/// and its backend stops accepting records.
#[tokio::test]
async fn a_second_writer_is_fenced_by_the_serials() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let (first, _, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    let (second, _, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    assert_eq!(first.record(put("strata_data.a")).await.unwrap(), 1);
    let error = second.record(put("strata_data.b")).await.unwrap_err();
    assert!(matches!(error, StateError::JournalFailed { .. }), "{error:?}");
    assert!(error.to_string().contains("another writer has recorded serial 1"), "{error}");
    let error = second.compact().await.unwrap_err();
    assert!(matches!(error, StateError::JournalFailed { .. }), "{error:?}");
    assert_eq!(first.record(put("strata_data.c")).await.unwrap(), 2);
}

#[tokio::test]
async fn a_missing_journal_row_is_an_error() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let (backend, _, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    for i in 0..3 {
        backend.record(output(&format!("o{i}"), serde_json::json!(i))).await.unwrap();
    }
    backend.close().await;
    let client = client(&conn_str).await;
    client.execute(&format!("DELETE FROM \"{schema}\".journal WHERE serial = 2"), &[]).await.unwrap();
    let error = PgBackend::open(&conn_str, &schema, "default").await.err().unwrap();
    assert!(matches!(error, StateError::JournalGap { expected: 2, found: 3, .. }), "{error:?}");
    assert!(error.to_string().starts_with(&format!("pg:{schema}/default line 2 has serial 3")), "{error}");
}

#[tokio::test]
async fn a_newer_table_layout_is_refused() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    PgBackend::open(&conn_str, &schema, "default").await.unwrap().0.close().await;
    let client = client(&conn_str).await;
    client.execute(&format!("UPDATE \"{schema}\".meta SET value = '2'"), &[]).await.unwrap();
    let error = PgBackend::open(&conn_str, &schema, "default").await.err().unwrap();
    assert!(matches!(error, StateError::UnsupportedVersion { found: 2, supported: 1, .. }), "{error:?}");
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_naming_the_state() {
    // Port 1 on loopback: nothing listens there, so this needs no server, but it only runs when
    // the others do, to keep runs without PostgreSQL quiet and fast.
    if server().is_none() {
        return;
    }
    let error = PgBackend::open("host=127.0.0.1 port=1 user=x dbname=x", "strata", "default").await.err().unwrap();
    assert!(error.to_string().starts_with("could not connect for pg:strata/default: "), "{error}");
}
