//! What the engine reports while it works. The engine never prints: views render events.

use std::time::Duration;

use strata_addrs::ResourceInstanceAddr;
use strata_plan::Action;

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    RefreshStart {
        addr: ResourceInstanceAddr,
    },
    ApplyStart {
        addr: ResourceInstanceAddr,
        action: Action,
    },
    ApplyDone {
        addr: ResourceInstanceAddr,
        action: Action,
        elapsed: Duration,
        done: usize,
        total: usize,
    },
    ApplyFailed {
        addr: ResourceInstanceAddr,
        action: Action,
        message: String,
    },
    /// A provider's report on a long operation ("3/5 hosts installed").
    Progress {
        addr: ResourceInstanceAddr,
        message: String,
        done: Option<u64>,
        total: Option<u64>,
    },
    Skipped {
        addr: ResourceInstanceAddr,
        because: ResourceInstanceAddr,
    },
    Interrupted {
        in_flight: usize,
    },
}

/// Receives events; must be cheap and must not block.
pub trait Hook: Send + Sync {
    fn event(&self, event: Event);

    /// Whether to send [`Event::RefreshStart`]: one per object of every plan, which no view
    /// shows yet, so by default the engine does not build them.
    fn wants_refresh_starts(&self) -> bool {
        false
    }
}

/// A hook that ignores everything (tests, benchmarks).
pub struct NoHook;

impl Hook for NoHook {
    fn event(&self, _: Event) {}
}
