//! A network's bridge: facts (does it exist, is it up, does it hold the gateway address) and
//! the pure plans that create or delete it. The bridge is made with the network's first host
//! and deleted with its last, always under the network's lock.

use std::net::Ipv4Addr;

use serde_json::Value as Json;

use crate::runner::CommandSpec;
use crate::subnet::Subnet;

/// What is true of the bridge now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BridgeFacts {
    pub exists: bool,
    pub up: bool,
    pub has_gateway: bool,
}

/// Whether `ip -j -4 addr show dev <bridge>` output holds `gateway/prefix_len`.
pub(crate) fn holds_address(ip_addr_json: &str, gateway: Ipv4Addr, prefix_len: u8) -> bool {
    let Ok(links) = serde_json::from_str::<Vec<Json>>(ip_addr_json) else { return false };
    links.iter().filter_map(|link| link.get("addr_info")?.as_array()).flatten().any(|info| {
        info.get("local").and_then(Json::as_str) == Some(&gateway.to_string())
            && info.get("prefixlen").and_then(Json::as_u64) == Some(u64::from(prefix_len))
    })
}

/// The commands that bring the bridge to the desired state (none when it is there).
pub(crate) fn create_plan(bridge: &str, subnet: &Subnet, facts: BridgeFacts) -> Vec<CommandSpec> {
    let mut batch = String::new();
    if !facts.exists {
        batch.push_str(&format!("link add name {bridge} type bridge\n"));
    }
    if !facts.has_gateway {
        batch.push_str(&format!("address add {}/{} dev {bridge}\n", subnet.gateway(), subnet.prefix_len()));
    }
    if !facts.up {
        batch.push_str(&format!("link set {bridge} up\n"));
    }
    if batch.is_empty() { Vec::new() } else { vec![CommandSpec::new("ip", &["-batch", "-"]).with_stdin(batch)] }
}

/// The commands that delete the bridge (none when it is gone).
pub(crate) fn delete_plan(bridge: &str, exists: bool) -> Vec<CommandSpec> {
    if exists { vec![CommandSpec::new("ip", &["link", "delete", bridge])] } else { Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBNET: &str = "10.231.0.0/24";

    fn texts(commands: Vec<CommandSpec>) -> Vec<String> {
        commands.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn created_from_nothing() {
        let plan = create_plan("strata-br0a1b2c", &SUBNET.parse().unwrap(), BridgeFacts::default());
        assert_eq!(
            texts(plan),
            ["ip -batch - <<< 'link add name strata-br0a1b2c type bridge\naddress add 10.231.0.1/24 dev \
              strata-br0a1b2c\nlink set strata-br0a1b2c up\n'"]
        );
    }

    #[test]
    fn idempotent_when_complete() {
        let facts = BridgeFacts { exists: true, up: true, has_gateway: true };
        assert!(create_plan("strata-br0a1b2c", &SUBNET.parse().unwrap(), facts).is_empty());
        assert!(delete_plan("strata-br0a1b2c", false).is_empty());
        assert_eq!(texts(delete_plan("strata-br0a1b2c", true)), ["ip link delete strata-br0a1b2c"]);
    }

    #[test]
    fn finds_the_gateway_address() {
        let json = r#"[{"ifindex":9,"ifname":"strata-br0a1b2c","addr_info":[{"family":"inet","local":"10.231.0.1","prefixlen":24}]}]"#;
        assert!(holds_address(json, "10.231.0.1".parse().unwrap(), 24));
        assert!(!holds_address(json, "10.231.0.1".parse().unwrap(), 16));
        assert!(!holds_address("[]", "10.231.0.1".parse().unwrap(), 24));
    }
}
