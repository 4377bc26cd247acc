//! [`Isolation`]: what a host shares with this machine. A namespace host (the default) has its
//! own network, hostname, processes and a few directories, and shares the rest of the
//! machine's file system; a container host has a whole root file system of its own (an
//! overlay over a cached Debian base, run with systemd-nspawn; see [`crate::rootfs`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How a host is separated from this machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Isolation {
    /// Linux namespaces (network, UTS, PID, mount) and per-host bind mounts over a few
    /// directories; `/usr` and `/etc` are the machine's. Sub-second to create.
    #[default]
    Namespace,
    /// A full root file system of its own: an overlay whose lower layer is the cached base
    /// root file system and whose upper layer is the host's directory, run by systemd-nspawn
    /// in the host's network namespace. The first one on a machine builds the base (about 45 s).
    Container,
}

impl Isolation {
    /// Every isolation, by name.
    pub const ALL: [Isolation; 2] = [Isolation::Namespace, Isolation::Container];

    /// The name used in configurations and records: `namespace` or `container`.
    pub fn name(self) -> &'static str {
        match self {
            Isolation::Namespace => "namespace",
            Isolation::Container => "container",
        }
    }
}

impl fmt::Display for Isolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Isolation {
    type Err = String;

    fn from_str(text: &str) -> Result<Isolation, String> {
        Isolation::ALL
            .into_iter()
            .find(|isolation| isolation.name() == text)
            .ok_or_else(|| format!("unknown isolation {text:?}; use \"namespace\" or \"container\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for isolation in Isolation::ALL {
            assert_eq!(isolation.name().parse::<Isolation>(), Ok(isolation));
            assert_eq!(serde_json::to_string(&isolation).unwrap(), format!("\"{isolation}\""));
        }
        assert_eq!(Isolation::default(), Isolation::Namespace);
        assert!("vm".parse::<Isolation>().unwrap_err().contains("\"namespace\" or \"container\""));
    }
}
