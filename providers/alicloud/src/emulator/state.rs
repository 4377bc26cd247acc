//! The emulator's inventory: VPCs, vSwitches, security groups, key pairs and instances, with
//! their states computed from the time since they were created (or deleted).

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use time::macros::format_description;

use super::Fault;
use super::auth::Nonces;
use super::hosts::{HostPhase, Job};
use super::reply::Reply;

/// How long objects stay in their transitional states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// An instance is `Pending`, then `Starting` for as long, then `Running`.
    pub instance_pending: Duration,
    pub instance_starting: Duration,
    /// A deleted instance is `Stopping` this long, then gone.
    pub instance_deleting: Duration,
    /// A VPC or vSwitch is `Pending` this long, then `Available`.
    pub network_pending: Duration,
}

/// An IPv4 CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub network: u32,
    pub prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/16`; host bits must be zero.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (address, prefix) = text.split_once('/')?;
        let address: Ipv4Addr = address.parse().ok()?;
        let prefix: u8 = prefix.parse().ok().filter(|prefix| *prefix <= 32)?;
        let network = u32::from(address);
        (network & !Cidr::mask(prefix) == 0).then_some(Cidr { network, prefix })
    }

    fn mask(prefix: u8) -> u32 {
        if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) }
    }

    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    pub fn contains(&self, other: &Cidr) -> bool {
        other.prefix >= self.prefix && other.network & Cidr::mask(self.prefix) == self.network
    }

    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// Within the private ranges a VPC may use (RFC 1918).
    pub fn is_private(&self) -> bool {
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
            .iter()
            .filter_map(|range| Cidr::parse(range))
            .any(|range| range.contains(self))
    }

    pub fn host(&self, offset: u64) -> Ipv4Addr {
        Ipv4Addr::from(self.network.wrapping_add(offset as u32))
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.network), self.prefix)
    }
}

/// A new id: `vpc-em3f...` (the prefix, then 18 lower-case hex digits).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}-em{}", &uuid::Uuid::new_v4().simple().to_string()[..18])
}

/// `2024-05-01T12:00:00Z`, as VPC answers write times.
pub fn vpc_time(at: OffsetDateTime) -> String {
    at.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z")).unwrap_or_default()
}

/// `2017-12-10T04:04Z`, as ECS answers write times.
pub fn ecs_time(at: OffsetDateTime) -> String {
    at.format(format_description!("[year]-[month]-[day]T[hour]:[minute]Z")).unwrap_or_default()
}

#[derive(Clone, Debug)]
pub struct Vpc {
    pub id: String,
    pub region: String,
    pub cidr: Cidr,
    pub name: String,
    pub description: String,
    pub created: Instant,
    pub created_at: OffsetDateTime,
    pub tags: Vec<(String, String)>,
    pub router_id: String,
    pub route_table_id: String,
}

#[derive(Clone, Debug)]
pub struct VSwitch {
    pub id: String,
    pub vpc_id: String,
    pub region: String,
    pub zone: String,
    pub cidr: Cidr,
    pub name: String,
    pub created: Instant,
    pub created_at: OffsetDateTime,
    pub tags: Vec<(String, String)>,
}

/// One ingress rule, normalized: protocol lower-case, policy and priority filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub ip_protocol: String,
    pub port_range: String,
    pub source_cidr_ip: String,
    pub policy: String,
    pub priority: u64,
    pub description: String,
    pub created_at: OffsetDateTime,
}

impl Rule {
    /// Two rules are the same rule when these agree (the description is not part of it).
    pub fn same_as(&self, other: &Rule) -> bool {
        (&self.ip_protocol, &self.port_range, &self.source_cidr_ip, &self.policy, self.priority)
            == (&other.ip_protocol, &other.port_range, &other.source_cidr_ip, &other.policy, other.priority)
    }
}

#[derive(Clone, Debug)]
pub struct SecurityGroup {
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    pub name: String,
    pub description: String,
    pub created_at: OffsetDateTime,
    pub tags: Vec<(String, String)>,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
pub struct KeyPair {
    pub name: String,
    pub region: String,
    pub fingerprint: String,
    /// The OpenSSH line imported (real hosts authorize it for root).
    pub public_key: String,
    pub created_at: OffsetDateTime,
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub id: String,
    pub region: String,
    pub zone: String,
    pub instance_type: &'static super::catalog::InstanceType,
    pub image: &'static super::catalog::Image,
    pub vpc_id: String,
    pub vswitch_id: String,
    pub security_group_id: String,
    pub key_pair_name: String,
    pub name: String,
    pub host_name: String,
    pub private_ip: Ipv4Addr,
    pub serial_number: String,
    pub created: Instant,
    pub created_at: OffsetDateTime,
    pub tags: Vec<(String, String)>,
    pub deleting: Option<Instant>,
    /// Its real host, when the emulator makes them (see `super::hosts`).
    pub host: HostPhase,
    /// The SHA256 fingerprint of its real host's Ed25519 host key, once the host is made: what
    /// its console output lists.
    pub host_key_fingerprint: Option<String>,
}

impl Instance {
    /// The status now; `None` once a deleted instance is gone.
    pub fn status(&self, timing: &Timing) -> Option<&'static str> {
        match (&self.host, self.deleting.is_some()) {
            (HostPhase::Record, _) => {}
            (HostPhase::Destroyed, _) => return None,
            (_, true) => return Some("Stopping"),
            (HostPhase::Queued, false) => return Some("Pending"),
            (HostPhase::Making, false) => return Some("Starting"),
            (HostPhase::Ready, false) => return Some("Running"),
            (HostPhase::Failed(_), false) => return Some("Stopped"),
        }
        if let Some(since) = self.deleting {
            return (since.elapsed() < timing.instance_deleting).then_some("Stopping");
        }
        let age = self.created.elapsed();
        Some(if age < timing.instance_pending {
            "Pending"
        } else if age < timing.instance_pending + timing.instance_starting {
            "Starting"
        } else {
            "Running"
        })
    }
}

/// `Pending`, then `Available` after `timing.network_pending`.
pub fn network_status(created: Instant, timing: &Timing) -> &'static str {
    if created.elapsed() < timing.network_pending { "Pending" } else { "Available" }
}

/// One request as the emulator saw it: for tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub action: String,
    pub status: u16,
    /// The error code, when the answer was one.
    pub code: Option<String>,
}

/// Everything the emulator holds, behind one lock.
#[derive(Debug)]
pub struct State {
    pub timing: Timing,
    pub max_instances: usize,
    pub nonces: Nonces,
    pub vpcs: BTreeMap<String, Vpc>,
    pub vswitches: BTreeMap<String, VSwitch>,
    pub security_groups: BTreeMap<String, SecurityGroup>,
    /// By region and name.
    pub key_pairs: BTreeMap<(String, String), KeyPair>,
    pub instances: BTreeMap<String, Instance>,
    /// `(action, ClientToken)` → what the request asked for and the answer it got.
    pub client_tokens: HashMap<(String, String), (String, Reply)>,
    pub faults: Vec<Fault>,
    pub log: Vec<Logged>,
    /// Where real hosts are made; `None`: instances are records only.
    pub hosts: Option<Sender<Job>>,
}

impl State {
    pub fn new(timing: Timing, max_instances: usize) -> State {
        State {
            timing,
            max_instances,
            nonces: Nonces::default(),
            vpcs: BTreeMap::new(),
            vswitches: BTreeMap::new(),
            security_groups: BTreeMap::new(),
            key_pairs: BTreeMap::new(),
            instances: BTreeMap::new(),
            client_tokens: HashMap::new(),
            faults: Vec::new(),
            log: Vec::new(),
            hosts: None,
        }
    }

    /// Asks the host thread for `job` (nothing without real hosts).
    pub fn send(&self, job: Job) {
        if let Some(hosts) = &self.hosts {
            let _ = hosts.send(job);
        }
    }

    /// Forgets deleted instances whose `Stopping` time is over.
    pub fn purge(&mut self) {
        let timing = self.timing;
        self.instances.retain(|_, instance| instance.status(&timing).is_some());
    }

    /// Instances not gone, in `vswitch_id`.
    pub fn instances_in_vswitch(&self, vswitch_id: &str) -> usize {
        self.instances.values().filter(|instance| instance.vswitch_id == vswitch_id).count()
    }

    /// The next free private address of a vSwitch: the first address and the last three of a
    /// block are reserved, as on Alibaba Cloud.
    pub fn free_ip(&self, vswitch: &VSwitch, taken: &[Ipv4Addr]) -> Option<Ipv4Addr> {
        let used: Vec<Ipv4Addr> = self
            .instances
            .values()
            .filter(|instance| instance.vswitch_id == vswitch.id)
            .map(|instance| instance.private_ip)
            .chain(taken.iter().copied())
            .collect();
        // A real host's network has its gateway on the first host address.
        let first = if self.hosts.is_some() { 2 } else { 1 };
        (first..vswitch.cidr.size().saturating_sub(3))
            .map(|offset| vswitch.cidr.host(offset))
            .find(|ip| !used.contains(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_blocks() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        assert!(vpc.contains(&Cidr::parse("10.0.1.0/24").unwrap()));
        assert!(!vpc.contains(&Cidr::parse("10.1.0.0/24").unwrap()));
        assert!(Cidr::parse("10.0.0.1/16").is_none(), "host bits set");
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(vpc.is_private() && !Cidr::parse("8.8.8.0/24").unwrap().is_private());
        assert_eq!(Cidr::parse("192.168.1.0/24").unwrap().host(5).to_string(), "192.168.1.5");
    }
}
