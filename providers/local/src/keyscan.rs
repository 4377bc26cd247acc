//! The host key an sshd actually presents, read with `ssh-keyscan` (openssh-client): what a
//! client connecting now would see, as opposed to the key file on disk.

use std::net::Ipv4Addr;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::fingerprint::ssh_host_key_fingerprint;
use crate::runner::{self, CommandSpec};

/// How long `ssh-keyscan` may wait for the server (its own `-T`, in seconds).
const KEYSCAN_TIMEOUT_SECONDS: u64 = 5;

/// The fingerprint (`SHA256:...`) of the ed25519 host key the sshd at `address:port` presents.
pub fn presented_host_key_fingerprint(address: Ipv4Addr, port: u16) -> Result<String> {
    let timeout = KEYSCAN_TIMEOUT_SECONDS.to_string();
    let (address, port) = (address.to_string(), port.to_string());
    let command = CommandSpec::new("ssh-keyscan", &["-T", &timeout, "-t", "ed25519", "-p", &port, &address]);
    let output = runner::run_unchecked(&command, Duration::from_secs(KEYSCAN_TIMEOUT_SECONDS + 5))?;
    parse_keyscan(&output.stdout).map_err(|reason| Error::UnexpectedOutput {
        command: command.to_string(),
        reason: if output.stderr.is_empty() { reason } else { format!("{reason} ({})", output.stderr) },
    })
}

/// The fingerprint of the first key line of `ssh-keyscan` output (`HOST TYPE BASE64`; lines
/// starting with `#` are comments).
pub(crate) fn parse_keyscan(text: &str) -> Result<String, String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .ok_or("the server presented no ed25519 host key")?;
    let (_host, key) = line.split_once(char::is_whitespace).ok_or("a key line has no key after the host")?;
    ssh_host_key_fingerprint(key.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keyscan_output() {
        let text = "# 10.231.0.2:22 SSH-2.0-OpenSSH_9.2p1 Debian-2\n\
                    10.231.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMgRctI9GD7PoVuMB90OQ0Mj6qdj5zVFV2zp+CrAXyoL\n";
        assert_eq!(parse_keyscan(text).unwrap(), "SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI");
        assert!(parse_keyscan("").is_err());
        assert!(parse_keyscan("# only a comment\n").is_err());
        assert!(parse_keyscan("10.0.0.1\n").is_err());
    }
}
