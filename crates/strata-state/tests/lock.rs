//! The state lock: exclusive across threads (separate open files, like separate processes),
//! names its holder, times out, releases on drop, and force-unlocks only by id.

use std::path::PathBuf;
use std::time::Duration;

use strata_state::{LockError, LockInfo, StateLock, force_unlock};

fn state_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("strata.state.json")
}

/// Tries to take the lock from another thread, as a second process would.
fn acquire_elsewhere(path: PathBuf, timeout: Duration) -> Result<StateLock, LockError> {
    std::thread::spawn(move || StateLock::acquire(&path, LockInfo::new("plan", "bob"), timeout)).join().unwrap()
}

#[test]
fn a_second_acquire_fails_with_the_holders_info_until_the_first_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let lock = StateLock::acquire(&state_path(&dir), LockInfo::new("apply", "alice"), Duration::ZERO).unwrap();
    assert_eq!(lock.path(), dir.path().join("strata.state.json.lock"));

    for timeout in [Duration::ZERO, Duration::from_millis(300)] {
        match acquire_elsewhere(state_path(&dir), timeout) {
            Err(LockError::Held { path, holder }) => {
                assert_eq!(path, lock.path());
                let holder = holder.expect("the holder's info is readable");
                assert_eq!(&holder, lock.info());
                assert_eq!(holder.pid, std::process::id());
                assert_eq!((holder.operation.as_str(), holder.who.as_str()), ("apply", "alice"));
                let message = LockError::Held { path, holder: Some(holder.clone()) }.to_string();
                assert!(message.contains("held by alice (pid") && message.contains("for `apply` since"), "{message}");
            }
            other => panic!("expected Held, got {other:?}"),
        }
    }

    drop(lock);
    assert!(!dir.path().join("strata.state.json.lock").exists(), "release removes the lock info");
    let second = acquire_elsewhere(state_path(&dir), Duration::ZERO).unwrap();
    assert_eq!(second.info().who, "bob");
}

#[test]
fn a_waiter_gets_the_lock_when_the_holder_releases_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let lock = StateLock::acquire(&state_path(&dir), LockInfo::new("apply", "alice"), Duration::ZERO).unwrap();
    let path = state_path(&dir);
    let waiter =
        std::thread::spawn(move || StateLock::acquire(&path, LockInfo::new("plan", "bob"), Duration::from_secs(30)));
    // The waiter may try before or after this drop; either way it must end up with the lock.
    std::thread::sleep(Duration::from_millis(100));
    drop(lock);
    let acquired = waiter.join().unwrap().unwrap();
    assert_eq!(acquired.info().who, "bob");
}

#[test]
fn force_unlock_removes_a_lock_only_when_the_id_matches() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(force_unlock(&state_path(&dir), "x"), Err(LockError::NotLocked { .. })));
    let stale = StateLock::acquire(&state_path(&dir), LockInfo::new("apply", "alice"), Duration::ZERO).unwrap();

    let error = force_unlock(&state_path(&dir), "wrong-id").unwrap_err();
    assert!(matches!(&error, LockError::IdMismatch { holder, .. } if holder == stale.info()));
    assert!(error.to_string().contains("nothing was unlocked"), "{error}");

    let removed = force_unlock(&state_path(&dir), &stale.info().id).unwrap();
    assert_eq!(&removed, stale.info());
    let next = acquire_elsewhere(state_path(&dir), Duration::ZERO).unwrap();
    // The stale holder letting go must not remove the new holder's lock file.
    drop(stale);
    assert!(next.path().exists());
    assert!(matches!(acquire_elsewhere(state_path(&dir), Duration::ZERO), Err(LockError::Held { .. })));
}
