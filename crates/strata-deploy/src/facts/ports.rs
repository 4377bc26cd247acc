//! Fact: the TCP ports something listens on, from `/proc/net/tcp` and `/proc/net/tcp6`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};

/// Reads the set of listening TCP ports (IPv4 and IPv6, any address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListeningPortsFact {}

/// The `st` column value of a listening socket.
const LISTEN: &str = "0A";

impl Fact for ListeningPortsFact {
    type Value = BTreeSet<u16>;

    fn describe(&self) -> String {
        "listening TCP ports".to_owned()
    }

    fn command(&self) -> String {
        "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; true".to_owned()
    }

    /// Lines look like `0: 0100007F:1F90 00000000:0000 0A …`: the port is the hex number
    /// after the local address, the fourth column is the state.
    fn parse(&self, stdout: &str) -> Result<BTreeSet<u16>, FactError> {
        let mut ports = BTreeSet::new();
        for line in stdout.lines() {
            let columns: Vec<&str> = line.split_whitespace().collect();
            if columns.is_empty() || columns[0] == "sl" {
                continue;
            }
            let [_, local, _, state, ..] = columns.as_slice() else {
                return Err(FactError::parse(self, line));
            };
            if *state != LISTEN {
                continue;
            }
            let port = local
                .rsplit_once(':')
                .and_then(|(_, port)| u16::from_str_radix(port, 16).ok())
                .ok_or_else(|| FactError::parse(self, line))?;
            ports.insert(port);
        }
        Ok(ports)
    }
}
