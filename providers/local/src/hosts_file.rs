//! Every host's `/etc/hosts` and `/etc/resolv.conf` (pure): loopback entries, then every host of the network, so
//! each resolves the others by name without DNS. The file is bound into the host as a single
//! file, so it is rewritten in place (truncate and write), never replaced by a rename: a bind
//! mount keeps showing the inode it was made with.

use std::net::Ipv4Addr;

/// Every host's `/etc/resolv.conf`. Hosts have no route beyond their network, so a lookup
/// that `/etc/hosts` does not answer must fail at once rather than wait for the machine's
/// unreachable nameserver (glibc's `gethostbyname2(AF_INET6)`, as `getent hosts` uses, would
/// otherwise take 10 s per name): a loopback nameserver nothing listens on refuses at once.
pub(crate) const RESOLV_CONF: &str = "# Written by strata's local provider: hosts resolve each other through /etc/hosts;\n\
# there is no DNS (the loopback nameserver refuses at once).\n\
nameserver 127.0.0.1\n\
options timeout:1 attempts:1\n";

/// The `/etc/hosts` text for a network whose hosts are `(address, hostname)` pairs.
pub(crate) fn render(hosts: &[(Ipv4Addr, &str)]) -> String {
    let mut hosts = hosts.to_vec();
    hosts.sort();
    let mut text = String::from(
        "# Written by strata's local provider: every host of this network.\n\
         127.0.0.1\tlocalhost\n\
         ::1\tlocalhost ip6-localhost ip6-loopback\n",
    );
    for (address, hostname) in hosts {
        text.push_str(&format!("{address}\t{hostname}"));
        if let Some((short, _)) = hostname.split_once('.') {
            text.push_str(&format!(" {short}"));
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_host_sorted_by_address() {
        let text =
            render(&[(Ipv4Addr::new(10, 231, 0, 3), "core-0.lab.internal"), (Ipv4Addr::new(10, 231, 0, 2), "master")]);
        assert_eq!(
            text,
            "# Written by strata's local provider: every host of this network.\n\
             127.0.0.1\tlocalhost\n\
             ::1\tlocalhost ip6-localhost ip6-loopback\n\
             10.231.0.2\tmaster\n\
             10.231.0.3\tcore-0.lab.internal core-0\n"
        );
    }
}
