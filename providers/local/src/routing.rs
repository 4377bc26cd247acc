//! Routing between two networks of this machine, scoped to exactly those two: a *client*
//! network (a cluster) may reach a *server* network (a shared database) and get its answers,
//! and nothing else is routed.
//!
//! Every network is a bridge on this machine, and every host's default route is its bridge's
//! gateway address, so hosts of two networks can reach each other if this machine forwards
//! between the two bridges. It does not by default (`net.ipv4.ip_forward = 0`), and that global
//! switch is not touched: IPv4 forwarding is decided by the *input* device's
//! `net.ipv4.conf.<device>.forwarding`, so [`link`] turns it on for the two bridges only (the
//! setting goes with the bridge when it is deleted). What may be forwarded is then narrowed
//! with policy routing rules, matched on the input bridge before the main table (priority
//! 32766) is consulted:
//!
//! ```text
//! 32000: from all to <server subnet> iif <client bridge> lookup main    (requests)
//! 32000: from all to <client subnet> iif <server bridge> lookup main    (answers)
//! 32001: from all iif <client bridge> prohibit                          (anything else)
//! 32001: from all iif <server bridge> prohibit
//! ```
//!
//! Traffic to this machine's own addresses is decided earlier (the `local` table, priority 0),
//! and traffic within a network is bridged, not routed: neither changes. A client network has
//! at most one server; a server serves any number of clients. Rules outlive their bridge
//! (the kernel keeps them, "detached"), so [`isolate`] removes a network's rules when it goes,
//! and nothing else on the machine is touched: no iptables, no global sysctl.
//!
//! The plans are pure ([`plan_link`], [`plan_serve`], [`plan_isolate`] over the rules `ip -j
//! rule show` lists, [`parse_rules`]); [`link`], [`serve`], [`isolate`] and [`problems`] run
//! them, the first three under a machine-wide lock (`/run/lock/strata-routing.lock`).

use std::path::PathBuf;

use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::lock::NetworkLock;
use crate::runner::{self, COMMAND_TIMEOUT, CommandSpec};
use crate::subnet::Subnet;

/// Priority of the rules that let a linked pair's traffic through.
pub const ALLOW_PRIORITY: u32 = 32000;
/// Priority of the rules that refuse anything else arriving from a linked bridge.
pub const DENY_PRIORITY: u32 = 32001;
/// Held while the rules are read, planned and changed: two clusters linking to one server at
/// once would otherwise both add its rule (the second `rule add` fails: it exists).
const LOCK: &str = "/run/lock/strata-routing.lock";

/// One side of a link: a network's bridge and subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub bridge: String,
    pub subnet: Subnet,
}

/// What a rule does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleAction {
    /// `lookup main`.
    LookupMain,
    /// `prohibit`.
    Prohibit,
    /// Anything else (never one of ours).
    Other(String),
}

/// A policy routing rule (IPv4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub priority: u32,
    pub iif: Option<String>,
    pub to: Option<Subnet>,
    pub action: RuleAction,
}

impl Rule {
    fn allow(from: &Endpoint, to: &Endpoint) -> Rule {
        Rule {
            priority: ALLOW_PRIORITY,
            iif: Some(from.bridge.clone()),
            to: Some(to.subnet),
            action: RuleAction::LookupMain,
        }
    }

    fn deny(from: &Endpoint) -> Rule {
        Rule { priority: DENY_PRIORITY, iif: Some(from.bridge.clone()), to: None, action: RuleAction::Prohibit }
    }

    /// Whether this module made it (only those are ever removed).
    fn is_ours(&self) -> bool {
        matches!(
            (self.priority, &self.action, &self.iif),
            (ALLOW_PRIORITY, RuleAction::LookupMain, Some(_)) | (DENY_PRIORITY, RuleAction::Prohibit, Some(_))
        )
    }

    /// `ip rule` arguments after `add`/`del`.
    fn arguments(&self) -> String {
        let mut text = format!("priority {}", self.priority);
        if let Some(iif) = &self.iif {
            text.push_str(&format!(" iif {iif}"));
        }
        if let Some(to) = &self.to {
            text.push_str(&format!(" to {to}"));
        }
        text.push_str(match &self.action {
            RuleAction::LookupMain => " lookup main",
            RuleAction::Prohibit => " prohibit",
            RuleAction::Other(other) => other,
        });
        text
    }
}

/// The changes that bring the machine to a desired routing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoutingPlan {
    /// `ip -4 -batch -` lines (`rule del ...`, `rule add ...`).
    pub batch: Vec<String>,
    /// Bridges whose `forwarding` must be on (`true`) or off.
    pub forwarding: Vec<(String, bool)>,
}

/// The rules in `ip -4 -j rule show` output.
pub fn parse_rules(json: &str) -> std::result::Result<Vec<Rule>, String> {
    let entries: Vec<Json> = serde_json::from_str(json).map_err(|error| error.to_string())?;
    let mut rules = Vec::new();
    for entry in entries {
        let priority = entry["priority"].as_u64().and_then(|p| u32::try_from(p).ok()).unwrap_or_default();
        let to = match (entry["dst"].as_str(), entry["dstlen"].as_u64()) {
            (Some(dst), Some(len)) => Some(format!("{dst}/{len}").parse::<Subnet>()?),
            (Some(dst), None) if dst != "all" => Some(format!("{dst}/32").parse::<Subnet>()?),
            _ => None,
        };
        let action = match (entry["table"].as_str(), entry["action"].as_str()) {
            (Some("main"), None) => RuleAction::LookupMain,
            (None, Some("prohibit")) => RuleAction::Prohibit,
            (table, action) => RuleAction::Other(format!(" {}", table.or(action).unwrap_or("unknown"))),
        };
        rules.push(Rule { priority, iif: entry["iif"].as_str().map(str::to_string), to, action });
    }
    Ok(rules)
}

/// Rules that belong to `network`'s side of links: those arriving on its bridge, and those
/// letting answers through to its subnet.
fn owned_by<'r>(rules: &'r [Rule], network: &Endpoint) -> impl Iterator<Item = &'r Rule> {
    rules.iter().filter(move |rule| {
        rule.is_ours()
            && (rule.iif.as_deref() == Some(network.bridge.as_str())
                || (rule.priority == ALLOW_PRIORITY && rule.to == Some(network.subnet)))
    })
}

fn add_missing(plan: &mut RoutingPlan, rules: &[Rule], wanted: &[Rule]) {
    for rule in wanted {
        if !rules.contains(rule) {
            plan.batch.push(format!("rule add {}", rule.arguments()));
        }
    }
}

/// `client` linked to `server` and to nothing else: the client's rules that are not the link's
/// are removed, the link's four rules added, forwarding on for both bridges.
pub fn plan_link(rules: &[Rule], client: &Endpoint, server: &Endpoint) -> RoutingPlan {
    let wanted = [Rule::allow(client, server), Rule::allow(server, client), Rule::deny(client), Rule::deny(server)];
    let mut plan = RoutingPlan::default();
    for rule in owned_by(rules, client) {
        if !wanted.contains(rule) {
            plan.batch.push(format!("rule del {}", rule.arguments()));
        }
    }
    add_missing(&mut plan, rules, &wanted);
    plan.forwarding = vec![(client.bridge.clone(), true), (server.bridge.clone(), true)];
    plan
}

/// `server` ready for clients: its deny rule and forwarding on its bridge (both are lost when
/// its bridge is made again).
pub fn plan_serve(rules: &[Rule], server: &Endpoint) -> RoutingPlan {
    let mut plan = RoutingPlan::default();
    add_missing(&mut plan, rules, &[Rule::deny(server)]);
    plan.forwarding = vec![(server.bridge.clone(), true)];
    plan
}

/// Every rule of `network`'s links removed (as a client and as a server), forwarding off.
pub fn plan_isolate(rules: &[Rule], network: &Endpoint) -> RoutingPlan {
    let mut plan = RoutingPlan::default();
    for rule in rules.iter().filter(|rule| rule.is_ours()) {
        let arrives = rule.iif.as_deref() == Some(network.bridge.as_str());
        if arrives || (rule.priority == ALLOW_PRIORITY && rule.to == Some(network.subnet)) {
            plan.batch.push(format!("rule del {}", rule.arguments()));
        }
    }
    plan.forwarding = vec![(network.bridge.clone(), false)];
    plan
}

/// What is missing for `client` to reach `server` (pure): each problem in words.
pub fn link_problems(
    rules: &[Rule],
    forwarding: &dyn Fn(&str) -> Option<bool>,
    client: &Endpoint,
    server: &Endpoint,
) -> Vec<String> {
    let mut problems = Vec::new();
    let wanted = [Rule::allow(client, server), Rule::allow(server, client), Rule::deny(client), Rule::deny(server)];
    for rule in wanted.iter().filter(|rule| !rules.contains(rule)) {
        problems.push(format!("no routing rule `{}`", rule.arguments()));
    }
    for bridge in [&client.bridge, &server.bridge] {
        match forwarding(bridge) {
            Some(true) => {}
            Some(false) => problems.push(format!("forwarding is off on {bridge}")),
            None => problems.push(format!("bridge {bridge} does not exist")),
        }
    }
    problems
}

fn rules_now() -> Result<Vec<Rule>> {
    let show = CommandSpec::new("ip", &["-4", "-j", "rule", "show"]);
    let output = runner::run(&show, COMMAND_TIMEOUT)?;
    parse_rules(&output).map_err(|reason| Error::UnexpectedOutput { command: show.to_string(), reason })
}

fn forwarding_path(bridge: &str) -> PathBuf {
    PathBuf::from(format!("/proc/sys/net/ipv4/conf/{bridge}/forwarding"))
}

/// `forwarding` of `bridge`; `None` when there is no such device.
fn forwarding(bridge: &str) -> Option<bool> {
    std::fs::read_to_string(forwarding_path(bridge)).ok().map(|text| text.trim() == "1")
}

/// Runs `plan_for` over the rules as they are, holding the machine's routing lock.
fn change(plan_for: impl FnOnce(&[Rule]) -> RoutingPlan) -> Result<()> {
    let lock = std::path::Path::new(LOCK);
    if let Some(dir) = lock.parent() {
        std::fs::create_dir_all(dir).map_err(Error::io("creating", dir))?;
    }
    let _lock = NetworkLock::acquire(lock)?;
    run_plan(&plan_for(&rules_now()?))
}

fn run_plan(plan: &RoutingPlan) -> Result<()> {
    if !plan.batch.is_empty() {
        let batch = plan.batch.join("\n") + "\n";
        runner::run(&CommandSpec::new("ip", &["-4", "-batch", "-"]).with_stdin(batch), COMMAND_TIMEOUT)?;
    }
    for (bridge, on) in &plan.forwarding {
        let path = forwarding_path(bridge);
        match (forwarding(bridge), on) {
            (Some(now), on) if now == *on => {}
            // Off for a bridge that is gone: nothing to do.
            (None, false) => {}
            _ => std::fs::write(&path, if *on { "1\n" } else { "0\n" }).map_err(Error::io("writing", &path))?,
        }
    }
    Ok(())
}

/// Links `client` to `server` (see the module documentation); both bridges must exist.
pub fn link(client: &Endpoint, server: &Endpoint) -> Result<()> {
    change(|rules| plan_link(rules, client, server))
}

/// Readies `server` for clients; its bridge must exist.
pub fn serve(server: &Endpoint) -> Result<()> {
    change(|rules| plan_serve(rules, server))
}

/// Removes every link of `network` (as a client and as a server); fine when there is none or
/// its bridge is gone.
pub fn isolate(network: &Endpoint) -> Result<()> {
    change(|rules| plan_isolate(rules, network))
}

/// What is missing for `client` to reach `server` now (empty when the link is whole).
pub fn problems(client: &Endpoint, server: &Endpoint) -> Result<Vec<String>> {
    Ok(link_problems(&rules_now()?, &forwarding, client, server))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(bridge: &str, subnet: &str) -> Endpoint {
        Endpoint { bridge: bridge.into(), subnet: subnet.parse().unwrap() }
    }

    /// `ip -4 -j rule show` on a machine with a linked pair (client strata-brc, server
    /// strata-brs), a stale rule of the client toward an older server, and a foreign rule.
    const LINKED: &str = r#"[{"priority":0,"src":"all","table":"local"},
        {"priority":100,"src":"all","iif":"eth9","table":"main"},
        {"priority":32000,"src":"all","dst":"10.232.5.0","dstlen":24,"iif":"strata-brc","table":"main"},
        {"priority":32000,"src":"all","dst":"10.232.9.0","dstlen":24,"iif":"strata-brc","table":"main"},
        {"priority":32000,"src":"all","dst":"10.232.1.0","dstlen":24,"iif":"strata-brs","table":"main"},
        {"priority":32001,"src":"all","iif":"strata-brc","action":"prohibit"},
        {"priority":32001,"src":"all","iif":"strata-brs","action":"prohibit"},
        {"priority":32766,"src":"all","table":"main"},{"priority":32767,"src":"all","table":"default"}]"#;

    fn client() -> Endpoint {
        endpoint("strata-brc", "10.232.1.0/24")
    }

    fn server() -> Endpoint {
        endpoint("strata-brs", "10.232.5.0/24")
    }

    #[test]
    fn parses_rules() {
        let rules = parse_rules(LINKED).unwrap();
        assert_eq!(rules.len(), 9);
        assert_eq!(rules[2], Rule::allow(&client(), &server()));
        assert_eq!(rules[5], Rule::deny(&client()));
        assert_eq!(rules[1].action, RuleAction::LookupMain);
        assert!(!rules[1].is_ours(), "priority 100 is not ours");
        assert!(!rules[7].is_ours(), "the main table's rule has no iif");
        assert!(parse_rules("not json").is_err());
    }

    #[test]
    fn link_from_nothing_adds_four_rules() {
        let plan =
            plan_link(&parse_rules(r#"[{"priority":0,"src":"all","table":"local"}]"#).unwrap(), &client(), &server());
        assert_eq!(
            plan.batch,
            [
                "rule add priority 32000 iif strata-brc to 10.232.5.0/24 lookup main",
                "rule add priority 32000 iif strata-brs to 10.232.1.0/24 lookup main",
                "rule add priority 32001 iif strata-brc prohibit",
                "rule add priority 32001 iif strata-brs prohibit",
            ]
        );
        assert_eq!(plan.forwarding, [("strata-brc".to_string(), true), ("strata-brs".to_string(), true)]);
    }

    #[test]
    fn link_is_idempotent_and_drops_stale_rules() {
        let plan = plan_link(&parse_rules(LINKED).unwrap(), &client(), &server());
        assert_eq!(plan.batch, ["rule del priority 32000 iif strata-brc to 10.232.9.0/24 lookup main"]);
        let rules: Vec<Rule> = parse_rules(LINKED)
            .unwrap()
            .into_iter()
            .filter(|rule| rule.to != Some("10.232.9.0/24".parse().unwrap()))
            .collect();
        assert!(plan_link(&rules, &client(), &server()).batch.is_empty());
        assert!(plan_serve(&rules, &server()).batch.is_empty());
    }

    #[test]
    fn isolating_a_client_keeps_the_servers_own_rule() {
        let plan = plan_isolate(&parse_rules(LINKED).unwrap(), &client());
        assert_eq!(
            plan.batch,
            [
                "rule del priority 32000 iif strata-brc to 10.232.5.0/24 lookup main",
                "rule del priority 32000 iif strata-brc to 10.232.9.0/24 lookup main",
                "rule del priority 32000 iif strata-brs to 10.232.1.0/24 lookup main",
                "rule del priority 32001 iif strata-brc prohibit",
            ]
        );
        assert_eq!(plan.forwarding, [("strata-brc".to_string(), false)]);
    }

    #[test]
    fn isolating_a_server_removes_every_link_to_it() {
        let plan = plan_isolate(&parse_rules(LINKED).unwrap(), &server());
        assert_eq!(
            plan.batch,
            [
                "rule del priority 32000 iif strata-brc to 10.232.5.0/24 lookup main",
                "rule del priority 32000 iif strata-brs to 10.232.1.0/24 lookup main",
                "rule del priority 32001 iif strata-brs prohibit",
            ]
        );
    }

    #[test]
    fn problems_name_what_is_missing() {
        let rules = parse_rules(LINKED).unwrap();
        let on = |_: &str| Some(true);
        assert!(link_problems(&rules, &on, &client(), &server()).is_empty());
        let off = |bridge: &str| (bridge != "strata-brs").then_some(true);
        let other = endpoint("strata-brx", "10.232.7.0/24");
        let problems = link_problems(&rules, &off, &client(), &other);
        assert!(
            problems.contains(&"no routing rule `priority 32000 iif strata-brc to 10.232.7.0/24 lookup main`".into())
        );
        assert!(problems.iter().any(|problem| problem.contains("strata-brx")), "{problems:?}");
    }
}
