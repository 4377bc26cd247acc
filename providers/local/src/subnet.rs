//! IPv4 subnets (pure): parsing, the address plan of a host network (gateway `.1` on the
//! bridge, hosts from `.2`), address allocation and the overlap check against the routes and
//! addresses already on the machine (`ip -j route` / `ip -j addr`).

use std::collections::BTreeSet;
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use serde_json::Value as Json;

/// An IPv4 network, `address/prefix_len`, with the host bits cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Subnet {
    network: Ipv4Addr,
    prefix_len: u8,
}

/// The subnet a network gets when none is given.
pub const DEFAULT_SUBNET: Subnet = Subnet { network: Ipv4Addr::new(10, 231, 0, 0), prefix_len: 24 };

/// Prefix lengths a host network may have: at least 2 hosts, at most 65534.
const HOST_NETWORK_PREFIXES: std::ops::RangeInclusive<u8> = 16..=30;

impl Subnet {
    /// The subnet of `address` with `prefix_len` bits (host bits are cleared).
    pub fn new(address: Ipv4Addr, prefix_len: u8) -> Result<Subnet, String> {
        if prefix_len > 32 {
            return Err(format!("prefix length {prefix_len} is more than 32"));
        }
        let network = Ipv4Addr::from(u32::from(address) & mask(prefix_len));
        Ok(Subnet { network, prefix_len })
    }

    /// The network address.
    pub fn network(&self) -> Ipv4Addr {
        self.network
    }

    /// The number of network bits.
    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// The last address of the subnet.
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.network) | !mask(self.prefix_len))
    }

    /// The bridge's address: the first address after the network address.
    pub fn gateway(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.network) + 1)
    }

    /// Whether `address` is inside the subnet.
    pub fn contains(&self, address: Ipv4Addr) -> bool {
        u32::from(address) & mask(self.prefix_len) == u32::from(self.network)
    }

    /// Whether the two subnets share an address.
    pub fn overlaps(&self, other: &Subnet) -> bool {
        let shorter = self.prefix_len.min(other.prefix_len);
        u32::from(self.network) & mask(shorter) == u32::from(other.network) & mask(shorter)
    }

    /// Checks the subnet can hold a host network: a private (RFC 1918) range with room for
    /// the gateway and at least two hosts.
    pub fn check_host_network(&self) -> Result<(), String> {
        if !HOST_NETWORK_PREFIXES.contains(&self.prefix_len) {
            return Err(format!(
                "a host network needs a prefix length from /{} to /{}",
                HOST_NETWORK_PREFIXES.start(),
                HOST_NETWORK_PREFIXES.end()
            ));
        }
        if !self.network.is_private() {
            return Err("a host network must be a private (RFC 1918) range such as 10.231.0.0/24".into());
        }
        Ok(())
    }

    /// The lowest host address (from `.2`; `.1` is the gateway) not in `taken`.
    pub fn free_host_address(&self, taken: &BTreeSet<Ipv4Addr>) -> Option<Ipv4Addr> {
        let first = u32::from(self.network) + 2;
        let last = u32::from(self.broadcast()).checked_sub(1)?;
        (first..=last).map(Ipv4Addr::from).find(|address| !taken.contains(address))
    }
}

fn mask(prefix_len: u8) -> u32 {
    if prefix_len == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix_len)) }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix_len)
    }
}

impl FromStr for Subnet {
    type Err = String;

    /// `a.b.c.d/n`, or a bare address meaning `/32`.
    fn from_str(text: &str) -> Result<Subnet, String> {
        let (address, prefix_len) = match text.split_once('/') {
            Some((address, prefix_len)) => {
                let prefix_len = prefix_len.parse::<u8>().map_err(|_| format!("bad prefix length {prefix_len:?}"))?;
                (address, prefix_len)
            }
            None => (text, 32),
        };
        let address = address.parse::<Ipv4Addr>().map_err(|_| format!("bad IPv4 address {address:?}"))?;
        Subnet::new(address, prefix_len)
    }
}

/// A subnet in use on the machine: a route's destination or an interface's address range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UsedRange {
    pub subnet: Subnet,
    pub device: String,
}

/// The ranges in `ip -j -4 route show table all` output; default routes are skipped (they
/// overlap everything and say nothing about what is in use).
pub(crate) fn routes_in_use(ip_route_json: &str) -> Result<Vec<UsedRange>, String> {
    let routes: Vec<Json> = serde_json::from_str(ip_route_json).map_err(|error| error.to_string())?;
    let mut used = Vec::new();
    for route in &routes {
        let Some(destination) = route.get("dst").and_then(Json::as_str) else { continue };
        if destination == "default" {
            continue;
        }
        let Ok(subnet) = destination.parse::<Subnet>() else { continue };
        if subnet.prefix_len == 0 {
            continue;
        }
        let device = route.get("dev").and_then(Json::as_str).unwrap_or("?").to_string();
        used.push(UsedRange { subnet, device });
    }
    Ok(used)
}

/// The address ranges in `ip -j -4 addr` output.
pub(crate) fn addresses_in_use(ip_addr_json: &str) -> Result<Vec<UsedRange>, String> {
    let links: Vec<Json> = serde_json::from_str(ip_addr_json).map_err(|error| error.to_string())?;
    let mut used = Vec::new();
    for link in &links {
        let device = link.get("ifname").and_then(Json::as_str).unwrap_or("?");
        let Some(infos) = link.get("addr_info").and_then(Json::as_array) else { continue };
        for info in infos {
            if info.get("family").and_then(Json::as_str) != Some("inet") {
                continue;
            }
            let Some(local) = info.get("local").and_then(Json::as_str) else { continue };
            let Ok(address) = local.parse::<Ipv4Addr>() else { continue };
            let prefix_len = info.get("prefixlen").and_then(Json::as_u64).unwrap_or(32);
            let Ok(subnet) = Subnet::new(address, u8::try_from(prefix_len).unwrap_or(32)) else { continue };
            used.push(UsedRange { subnet, device: device.to_string() });
        }
    }
    Ok(used)
}

/// The first range in use that overlaps `subnet`, ignoring those on `own_bridge`.
pub(crate) fn first_overlap<'a>(subnet: &Subnet, used: &'a [UsedRange], own_bridge: &str) -> Option<&'a UsedRange> {
    used.iter().find(|range| range.device != own_bridge && range.subnet.overlaps(subnet))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subnet(text: &str) -> Subnet {
        text.parse().unwrap()
    }

    #[test]
    fn parses_and_normalizes() {
        assert_eq!(subnet("10.231.0.7/24").to_string(), "10.231.0.0/24");
        assert_eq!(subnet("192.0.2.2").to_string(), "192.0.2.2/32");
        assert!("10.0.0.0/33".parse::<Subnet>().is_err());
        assert!("10.0.0/24".parse::<Subnet>().is_err());
        assert!("10.0.0.0/x".parse::<Subnet>().is_err());
    }

    #[test]
    fn address_plan() {
        let s = subnet("10.231.0.0/24");
        assert_eq!(s.gateway(), Ipv4Addr::new(10, 231, 0, 1));
        assert_eq!(s.broadcast(), Ipv4Addr::new(10, 231, 0, 255));
        let mut taken = BTreeSet::new();
        assert_eq!(s.free_host_address(&taken), Some(Ipv4Addr::new(10, 231, 0, 2)));
        taken.insert(Ipv4Addr::new(10, 231, 0, 2));
        taken.insert(Ipv4Addr::new(10, 231, 0, 4));
        assert_eq!(s.free_host_address(&taken), Some(Ipv4Addr::new(10, 231, 0, 3)));
        let tiny = subnet("10.9.9.0/30");
        assert_eq!(tiny.free_host_address(&BTreeSet::new()), Some(Ipv4Addr::new(10, 9, 9, 2)));
        assert_eq!(tiny.free_host_address(&[Ipv4Addr::new(10, 9, 9, 2)].into()), None);
    }

    #[test]
    fn overlap() {
        assert!(subnet("10.0.0.0/8").overlaps(&subnet("10.231.0.0/24")));
        assert!(subnet("10.231.0.0/24").overlaps(&subnet("10.0.0.0/8")));
        assert!(subnet("10.231.0.0/24").overlaps(&subnet("10.231.0.9/32")));
        assert!(!subnet("10.231.0.0/24").overlaps(&subnet("10.231.1.0/24")));
    }

    /// `ip -json -4 route show table all` and `ip -json -4 address show` from a machine with
    /// eth0 on 192.0.2.0/24 and a bridge `strata-brfix` holding 10.231.0.1/24.
    #[test]
    fn overlaps_with_what_the_machine_uses() {
        let mut used = routes_in_use(include_str!("../../../testdata/local-hosts/ip-route.json")).unwrap();
        used.extend(addresses_in_use(include_str!("../../../testdata/local-hosts/ip-address.json")).unwrap());
        /// Wanted subnet, own bridge, expected overlap (range, device).
        type Row = (&'static str, &'static str, Option<(&'static str, &'static str)>);
        let rows: &[Row] = &[
            ("10.231.0.0/24", "strata-br000000", Some(("10.231.0.0/24", "strata-brfix"))),
            ("10.231.0.0/24", "strata-brfix", None),
            ("10.231.0.128/25", "strata-br000000", Some(("10.231.0.0/24", "strata-brfix"))),
            ("10.0.0.0/16", "strata-br000000", None),
            ("10.0.0.0/8", "strata-br000000", Some(("10.231.0.0/24", "strata-brfix"))),
            ("10.232.0.0/24", "strata-br000000", None),
            ("192.0.2.0/24", "strata-br000000", Some(("192.0.2.0/24", "eth0"))),
            ("127.0.0.0/16", "strata-br000000", Some(("127.0.0.0/8", "lo"))),
        ];
        for (wanted, own_bridge, expected) in rows {
            let found = first_overlap(&subnet(wanted), &used, own_bridge)
                .map(|range| (range.subnet.to_string(), range.device.clone()));
            let expected = expected.map(|(range, device)| (range.to_string(), device.to_string()));
            assert_eq!(found, expected, "{wanted} with own bridge {own_bridge}");
        }
    }

    #[test]
    fn host_network_rules() {
        assert!(subnet("10.231.0.0/24").check_host_network().is_ok());
        assert!(subnet("10.231.0.0/31").check_host_network().is_err());
        assert!(subnet("8.8.8.0/24").check_host_network().is_err());
    }
}
