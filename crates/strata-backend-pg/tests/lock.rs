//! `PgLock` against a real server: exclusion, waiting, crashed holders, force-unlock, and two
//! runs racing for one state.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{client, output, server, unique_schema};
use strata_backend_pg::{PgBackend, PgLock, force_unlock};
use strata_state::{LockError, LockInfo};

const NOW: Duration = Duration::ZERO;
const A_WHILE: Duration = Duration::from_secs(10);

fn info(who: &str) -> LockInfo {
    LockInfo::new("apply", who)
}

#[tokio::test]
async fn a_held_lock_is_refused_naming_its_holder_until_released() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let first = PgLock::acquire(&conn_str, &schema, "default", info("alice@laptop"), NOW).await.unwrap();
    assert!(first.is_held().await.unwrap());
    let error = PgLock::acquire(&conn_str, &schema, "default", info("bob@desk"), NOW).await.unwrap_err();
    let LockError::Held { path, holder } = &error else { panic!("{error:?}") };
    assert_eq!(path, &PathBuf::from(format!("pg:{schema}/default")));
    assert_eq!(holder.as_ref(), Some(first.info()));
    assert!(error.to_string().contains("held by alice@laptop"), "{error}");

    // Another state of the same schema is not locked.
    let other = PgLock::acquire(&conn_str, &schema, "staging", info("bob@desk"), NOW).await.unwrap();
    other.release().await.unwrap();

    first.release().await.unwrap();
    let second = PgLock::acquire(&conn_str, &schema, "default", info("bob@desk"), NOW).await.unwrap();
    assert_eq!(second.info().who, "bob@desk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_acquire_gets_the_lock_when_it_is_released() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let first = PgLock::acquire(&conn_str, &schema, "default", info("alice"), NOW).await.unwrap();
    let started = Instant::now();
    let waiter = {
        let (conn_str, schema) = (conn_str.clone(), schema.clone());
        tokio::spawn(async move { PgLock::acquire(&conn_str, &schema, "default", info("bob"), A_WHILE).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiter.is_finished());
    first.release().await.unwrap();
    let second = waiter.await.unwrap().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(500));
    assert!(started.elapsed() < A_WHILE);
    assert_eq!(second.info().who, "bob");

    // A timeout that passes reports the holder.
    let started = Instant::now();
    let error = PgLock::acquire(&conn_str, &schema, "default", info("carol"), Duration::from_millis(400)).await;
    assert!(matches!(error, Err(LockError::Held { holder: Some(ref holder), .. }) if holder.who == "bob"));
    assert!(started.elapsed() >= Duration::from_millis(400));
}

/// Takes the lock in a "process" (a thread with its own runtime) that then dies without
/// releasing it: no release, no drop, its sockets simply close.
fn crash_holding_the_lock(conn_str: &str, schema: &str) -> LockInfo {
    let (conn_str, schema) = (conn_str.to_owned(), schema.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let lock = runtime.block_on(PgLock::acquire(&conn_str, &schema, "default", info("crashed"), NOW)).unwrap();
        let held = lock.info().clone();
        std::mem::forget(lock);
        drop(runtime);
        held
    })
    .join()
    .unwrap()
}

#[tokio::test]
async fn a_crashed_holder_leaves_no_lock() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    crash_holding_the_lock(&conn_str, &schema);
    // The server ends the session when it sees the socket close; a waiter gets the lock then.
    let lock = PgLock::acquire(&conn_str, &schema, "default", info("next"), A_WHILE).await.unwrap();
    assert_eq!(lock.info().who, "next");
    lock.release().await.unwrap();

    // The crashed holder's row stays behind, but it is not reported: no session holds the lock
    // for it.
    let crashed = crash_holding_the_lock(&conn_str, &schema);
    let client = client(&conn_str).await;
    let pid_query = format!("SELECT pid FROM \"{schema}\".locks WHERE name = 'default'");
    let pid: i32 = client.query_one(&pid_query, &[]).await.unwrap().get(0);
    let deadline = Instant::now() + A_WHILE;
    let alive = "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)";
    while client.query_one(alive, &[&pid]).await.unwrap().get::<_, bool>(0) {
        assert!(Instant::now() < deadline, "the crashed session {pid} did not end");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(client.query(&pid_query, &[]).await.unwrap().len(), 1, "the stale row is still there");
    let error = force_unlock(&conn_str, &schema, "default", &crashed.id).await.unwrap_err();
    assert!(matches!(error, LockError::NotLocked { .. }), "{error:?}");
    let lock = PgLock::acquire(&conn_str, &schema, "default", info("after"), NOW).await.unwrap();
    assert_eq!(lock.info().who, "after");
}

#[tokio::test]
async fn dropping_or_aborting_releases_the_lock() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let lock = PgLock::acquire(&conn_str, &schema, "default", info("dropped"), NOW).await.unwrap();
    drop(lock);
    let lock = PgLock::acquire(&conn_str, &schema, "default", info("aborted"), A_WHILE).await.unwrap();
    // A task holding the lock that is aborted drops it.
    let task = tokio::spawn(async move {
        let _lock = lock;
        std::future::pending::<()>().await;
    });
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    let lock = PgLock::acquire(&conn_str, &schema, "default", info("last"), A_WHILE).await.unwrap();
    assert_eq!(lock.info().who, "last");
}

#[tokio::test]
async fn force_unlock_needs_the_holders_id() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let hung = PgLock::acquire(&conn_str, &schema, "default", info("hung"), NOW).await.unwrap();

    let error = force_unlock(&conn_str, &schema, "default", "not-the-id").await.unwrap_err();
    let LockError::IdMismatch { given, holder, .. } = &error else { panic!("{error:?}") };
    assert_eq!((given.as_str(), holder), ("not-the-id", hung.info()));
    assert!(hung.is_held().await.unwrap(), "a refused force-unlock changes nothing");
    assert!(PgLock::acquire(&conn_str, &schema, "default", info("other"), NOW).await.is_err());

    let removed = force_unlock(&conn_str, &schema, "default", &hung.info().id).await.unwrap();
    assert_eq!(&removed, hung.info());
    assert!(!hung.is_held().await.unwrap(), "its session was terminated");
    let lock = PgLock::acquire(&conn_str, &schema, "default", info("other"), NOW).await.unwrap();
    assert_eq!(lock.info().who, "other");
    lock.release().await.unwrap();
    let error = force_unlock(&conn_str, &schema, "default", "anything").await.unwrap_err();
    assert!(matches!(error, LockError::NotLocked { .. }), "{error:?}");
}

/// One "apply": take the lock, open the state, record, compact, release.
async fn apply(conn_str: String, schema: String, who: &'static str, timeout: Duration) -> Result<u64, LockError> {
    let lock = PgLock::acquire(&conn_str, &schema, "default", info(who), timeout).await?;
    let (backend, mut state, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    for i in 0..50 {
        let operation = output(&format!("{who}{i}"), serde_json::json!(i));
        let serial = backend.record(operation.clone()).await.unwrap();
        state.apply(serial, operation);
    }
    let serial = backend.compact().await.unwrap();
    backend.close().await;
    lock.release().await.unwrap();
    Ok(serial)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_concurrent_applies_exactly_one_gets_the_lock() {
    let Some(conn_str) = server() else { return };
    let schema = unique_schema();
    let first = tokio::spawn(apply(conn_str.clone(), schema.clone(), "first", NOW));
    let second = tokio::spawn(apply(conn_str.clone(), schema.clone(), "second", NOW));
    let results = [first.await.unwrap(), second.await.unwrap()];
    let won: Vec<_> = results.iter().filter_map(|result| result.as_ref().ok()).collect();
    assert_eq!(won, [&50], "{results:?}");
    let refused = results.iter().find_map(|result| result.as_ref().err()).unwrap();
    assert!(matches!(refused, LockError::Held { .. }), "{refused:?}");

    // Waiting instead of failing, the two run one after the other and lose nothing.
    let first = tokio::spawn(apply(conn_str.clone(), schema.clone(), "third", A_WHILE));
    let second = tokio::spawn(apply(conn_str.clone(), schema.clone(), "fourth", A_WHILE));
    let mut serials = [first.await.unwrap().unwrap(), second.await.unwrap().unwrap()];
    serials.sort_unstable();
    assert_eq!(serials, [100, 150]);
    let (_, state, _) = PgBackend::open(&conn_str, &schema, "default").await.unwrap();
    assert_eq!((state.serial, state.outputs.len()), (150, 150));
}
