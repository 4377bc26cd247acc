//! One SSH session per host, opened on first use and reused.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::connect::{ConnectOptions, Connection, HostSpec, connect};
use crate::error::DeployError;

type Slot = Arc<Mutex<Option<Connection>>>;

/// Sessions keyed by [`HostSpec::name`]. Work on one host is serialized (one session, used by
/// one thread at a time); different hosts proceed in parallel. Blocking: call it from
/// `spawn_blocking` or a plain thread.
pub struct SessionPool {
    options: ConnectOptions,
    slots: Mutex<HashMap<String, Slot>>,
}

impl SessionPool {
    pub fn new(options: ConnectOptions) -> Self {
        Self { options, slots: Mutex::new(HashMap::new()) }
    }

    pub fn options(&self) -> &ConnectOptions {
        &self.options
    }

    /// Runs `work` with the host's session, connecting first if there is none (or if the
    /// host's address, user, key or expected host key changed). A session is dropped after an
    /// error that may have broken it, so the next call reconnects.
    pub fn with_connection<T>(
        &self,
        host: &HostSpec,
        work: impl FnOnce(&mut Connection) -> Result<T, DeployError>,
    ) -> Result<T, DeployError> {
        let slot = Arc::clone(lock(&self.slots).entry(host.name.clone()).or_default());
        let mut connection = match slot.lock() {
            Ok(connection) => connection,
            Err(poisoned) => {
                // Work on this host panicked mid-call: the session's state is unknown.
                let mut connection = poisoned.into_inner();
                *connection = None;
                connection
            }
        };
        if connection.as_ref().is_some_and(|open| open.host() != host) {
            *connection = None;
        }
        if connection.is_none() {
            *connection = Some(connect(host, &self.options)?);
        }
        let result = work(connection.as_mut().expect("connected above"));
        if let Err(error) = &result
            && error.breaks_session()
        {
            *connection = None;
        }
        result
    }

    /// How many sessions are open.
    pub fn open_sessions(&self) -> usize {
        let slots: Vec<Slot> = lock(&self.slots).values().cloned().collect();
        slots.iter().filter(|slot| slot.try_lock().map(|connection| connection.is_some()).unwrap_or(true)).count()
    }

    /// Closes the session of one host (it reconnects on next use).
    pub fn close(&self, host_name: &str) {
        let slot = lock(&self.slots).remove(host_name);
        if let Some(slot) = slot {
            *lock(&slot) = None;
        }
    }

    /// Closes every session.
    pub fn close_all(&self) {
        let slots: Vec<Slot> = lock(&self.slots).drain().map(|(_, slot)| slot).collect();
        for slot in slots {
            *lock(&slot) = None;
        }
    }
}

/// A poisoned lock only means another thread panicked while holding it; the map and the
/// optional session stay consistent, so carry on.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
