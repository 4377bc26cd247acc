//! Whether a host runs (pure decision from facts): its init (sshd; a container host's: nspawn's
//! stub init, sshd's parent) is alive in its network namespace and sshd accepts TCP
//! connections on its address.

use std::fmt;

/// The state of a host as found on the machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostStatus {
    /// The init (sshd) runs in the host's network namespace and accepts connections.
    Running,
    /// Nothing of the host runs and its network namespace is gone: it must be created again.
    Gone,
    /// Parts exist but the host does not work; destroy and create it again.
    Broken {
        /// What is wrong, in a sentence.
        reason: String,
    },
}

impl fmt::Display for HostStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostStatus::Running => f.write_str("running"),
            HostStatus::Gone => f.write_str("gone"),
            HostStatus::Broken { reason } => write!(f, "broken: {reason}"),
        }
    }
}

/// What was observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct StatusFacts {
    pub netns_exists: bool,
    /// The recorded init process is alive (same pid and start time).
    pub init_alive: bool,
    /// ... and in the host's network namespace.
    pub init_in_netns: bool,
    /// A TCP connection to the host's address, port 22, succeeded.
    pub sshd_accepting: bool,
    /// A container host (its init is nspawn's stub init, sshd its child).
    pub container: bool,
}

/// The status those facts mean.
pub(crate) fn decide(facts: StatusFacts) -> HostStatus {
    let broken = |reason: &str| HostStatus::Broken { reason: reason.to_string() };
    match facts {
        StatusFacts { netns_exists: false, init_alive: false, .. } => HostStatus::Gone,
        StatusFacts { netns_exists: false, .. } => broken("its network namespace is gone but its init still runs"),
        StatusFacts { init_alive: false, container: true, .. } => {
            broken("its container is not running (its init, the parent of sshd, is gone)")
        }
        StatusFacts { init_alive: false, .. } => broken("its init (sshd) is not running"),
        StatusFacts { init_in_netns: false, .. } => broken("its init runs outside its network namespace"),
        StatusFacts { sshd_accepting: false, .. } => broken("sshd does not accept connections on port 22"),
        _ => HostStatus::Running,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let facts = |netns_exists, init_alive, init_in_netns, sshd_accepting| StatusFacts {
            netns_exists,
            init_alive,
            init_in_netns,
            sshd_accepting,
            container: false,
        };
        let rows = [
            (facts(true, true, true, true), "running"),
            (facts(false, false, false, false), "gone"),
            (facts(true, false, false, false), "broken: its init (sshd) is not running"),
            (facts(true, true, true, false), "broken: sshd does not accept connections on port 22"),
            (facts(true, true, false, true), "broken: its init runs outside its network namespace"),
            (facts(false, true, false, false), "broken: its network namespace is gone but its init still runs"),
        ];
        for (facts, expected) in rows {
            assert_eq!(decide(facts).to_string(), expected, "{facts:?}");
        }
        let container = StatusFacts { netns_exists: true, container: true, ..StatusFacts::default() };
        assert_eq!(
            decide(container).to_string(),
            "broken: its container is not running (its init, the parent of sshd, is gone)"
        );
        let running = StatusFacts { init_alive: true, init_in_netns: true, sshd_accepting: true, ..container };
        assert_eq!(decide(running), HostStatus::Running);
    }
}
