//! The launchers this process started, kept so their exit can be reaped. Process-wide (not
//! per [`Network`](crate::Network) value) so that whoever tears a host down in this process,
//! `destroy_host` or `gc`, reaps its launcher instead of leaving a zombie.

use std::collections::BTreeMap;
use std::process::Child;
use std::sync::Mutex;

static LAUNCHERS: Mutex<BTreeMap<u32, Child>> = Mutex::new(BTreeMap::new());

/// Keeps a started launcher.
pub(crate) fn keep(child: Child) {
    LAUNCHERS.lock().unwrap_or_else(|poison| poison.into_inner()).insert(child.id(), child);
}

/// Takes back the launcher with `pid`, if this process started it.
pub(crate) fn take(pid: u32) -> Option<Child> {
    LAUNCHERS.lock().unwrap_or_else(|poison| poison.into_inner()).remove(&pid)
}
