//! Names (pure): what a network name, host id and hostname may be, and the machine-wide
//! names derived from them (network namespace, veth, bridge, cgroup).
//!
//! The kernel limits link names to 15 bytes, so the bridge and the veth get a short hash;
//! namespaces and cgroups carry the readable `strata.<network>.<host id>` (dots cannot occur
//! in either part, so every name parses back unambiguously).

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Prefix of every network namespace and cgroup made here.
pub(crate) const PREFIX: &str = "strata.";

/// Checks a network name: a lowercase letter, then up to 31 lowercase letters, digits or `-`.
pub fn check_network_name(name: &str) -> Result<()> {
    let invalid = |reason| Err(Error::InvalidName { what: "network name", value: name.to_string(), reason });
    if name.is_empty() || name.len() > 32 {
        return invalid("it must be 1 to 32 characters long");
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return invalid("it must start with a lowercase letter");
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return invalid("it may hold only lowercase letters, digits and '-'");
    }
    Ok(())
}

/// Checks a host id: 1 to 64 letters, digits, `-` or `_`, not starting with `-`.
pub(crate) fn check_host_id(id: &str) -> Result<()> {
    let invalid = |reason| Err(Error::InvalidName { what: "host id", value: id.to_string(), reason });
    if id.is_empty() || id.len() > 64 {
        return invalid("it must be 1 to 64 characters long");
    }
    if id.starts_with('-') {
        return invalid("it must not start with '-'");
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return invalid("it may hold only letters, digits, '-' and '_'");
    }
    Ok(())
}

/// Checks a hostname (RFC 1123): dot-separated labels of 1 to 63 letters, digits or `-`,
/// neither starting nor ending with `-`; at most 64 characters (the kernel's limit).
pub(crate) fn check_hostname(hostname: &str) -> Result<()> {
    let invalid = |reason| Err(Error::InvalidName { what: "hostname", value: hostname.to_string(), reason });
    if hostname.is_empty() || hostname.len() > 64 {
        return invalid("it must be 1 to 64 characters long");
    }
    for label in hostname.split('.') {
        if label.is_empty() || label.len() > 63 {
            return invalid("each dot-separated label must be 1 to 63 characters long");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return invalid("a label must not start or end with '-'");
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return invalid("it may hold only letters, digits, '-' and '.'");
        }
    }
    Ok(())
}

/// The host's network namespace (`/run/netns/<name>`); also its cgroups' name.
pub fn netns_name(network: &str, id: &str) -> String {
    format!("{PREFIX}{network}.{id}")
}

/// The host id in a namespace name of `network`, if it is one.
pub(crate) fn host_id_of_netns<'a>(network: &str, netns: &'a str) -> Option<&'a str> {
    let id = netns.strip_prefix(PREFIX)?.strip_prefix(network)?.strip_prefix('.')?;
    (!id.is_empty() && !id.contains('.')).then_some(id)
}

/// The host end of the host's veth pair (the other end is `eth0` in the namespace).
pub fn veth_name(network: &str, id: &str) -> String {
    format!("st{}", short_hash(&format!("{network}.{id}"), 13))
}

/// The systemd-nspawn machine name of a container host: `strata-` and 16 hex digits (a
/// machine name must be a valid hostname, which a host id need not be). nspawn names its
/// runtime directories after it (`/run/systemd/nspawn/propagate/<machine>`).
pub fn machine_name(network: &str, id: &str) -> String {
    format!("strata-{}", short_hash(&format!("{network}.{id}"), 16))
}

/// The network's bridge: `strata-br` and six hex digits, 15 characters.
pub fn bridge_name(network: &str) -> String {
    format!("strata-br{}", short_hash(network, 6))
}

fn short_hash(text: &str, digits: usize) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    hex[..digits].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_names() {
        for good in ["a", "analytics-prod", "t1234"] {
            assert!(check_network_name(good).is_ok(), "{good}");
        }
        for bad in ["", "A", "1a", "a.b", "a_b", &"a".repeat(33)] {
            assert!(check_network_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn host_ids() {
        for good in ["h1", "node_group-core-0", "550e8400-e29b-41d4-a716-446655440000"] {
            assert!(check_host_id(good).is_ok(), "{good}");
        }
        for bad in ["", "-a", "a.b", "a/b", &"a".repeat(65)] {
            assert!(check_host_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hostnames() {
        for good in ["master", "core-0", "core-0.cluster.internal", "A1"] {
            assert!(check_hostname(good).is_ok(), "{good}");
        }
        for bad in ["", "-a", "a-", "a..b", "a_b", "a b", &"a".repeat(65)] {
            assert!(check_hostname(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn derived_names() {
        assert_eq!(netns_name("lab", "h1"), "strata.lab.h1");
        assert_eq!(host_id_of_netns("lab", "strata.lab.h1"), Some("h1"));
        assert_eq!(host_id_of_netns("lab", "strata.lab-2.h1"), None);
        assert_eq!(host_id_of_netns("lab", "strata.lab."), None);
        assert_eq!(veth_name("lab", "h1").len(), 15);
        assert_eq!(bridge_name("lab").len(), 15);
        assert!(bridge_name("lab").starts_with("strata-br"));
        assert_ne!(veth_name("lab", "h1"), veth_name("lab", "h2"));
        assert_eq!(machine_name("lab", "h1").len(), 23);
        assert!(machine_name("lab", "h1").starts_with("strata-"));
        assert_ne!(machine_name("lab", "h1"), machine_name("lab", "h2"));
        assert!(check_hostname(&machine_name("lab", "node_group_0")).is_ok());
    }
}
