//! A host's sshd configuration (pure). Every path is as the host sees it, after its bind
//! mounts: the configuration, host key and pid file live in the host's own `/etc/ssh` and
//! `/run`, the authorized keys in its own `/root`.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use crate::layout;

/// The port every host's sshd listens on.
pub const SSH_PORT: u16 = 22;

/// The text of `/etc/ssh/sshd_config` for a host listening on `address`.
pub(crate) fn render(address: Ipv4Addr) -> String {
    let settings: &[(&str, String)] = &[
        ("ListenAddress", address.to_string()),
        ("Port", SSH_PORT.to_string()),
        ("HostKey", layout::HOST_KEY.to_string()),
        ("PidFile", layout::PID_FILE.to_string()),
        ("AuthorizedKeysFile", layout::AUTHORIZED_KEYS.to_string()),
        ("PermitRootLogin", "prohibit-password".to_string()),
        ("PasswordAuthentication", "no".to_string()),
        ("KbdInteractiveAuthentication", "no".to_string()),
        ("UsePAM", "no".to_string()),
        // The per-host directories belong to root but live under the state directory,
        // whose permissions sshd would otherwise insist on checking.
        ("StrictModes", "no".to_string()),
        ("UseDNS", "no".to_string()),
        ("PrintMotd", "no".to_string()),
        ("PrintLastLog", "no".to_string()),
        ("Subsystem", "sftp internal-sftp".to_string()),
    ];
    let mut text = String::from("# Written by strata's local provider; rewritten when the host is re-created.\n");
    for (keyword, value) in settings {
        let _ = writeln!(text, "{keyword} {value}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden() {
        let expected = include_str!("../../../testdata/local-hosts/sshd_config.golden");
        assert_eq!(render(Ipv4Addr::new(10, 231, 0, 2)), expected);
    }
}
