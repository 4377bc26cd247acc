//! An emulator of the ECS and VPC OpenAPI subset the provider uses ([`Emulator`]): an HTTP
//! server on 127.0.0.1 speaking the same wire protocol (RPC-style `GET` or form `POST` to `/`,
//! JSON answers), which **verifies every signature** with its own code ([`auth`]) and keeps an
//! in-memory inventory.
//!
//! - Actions: `CreateVpc`, `DescribeVpcs`, `ModifyVpcAttribute`, `DeleteVpc`, `CreateVSwitch`,
//!   `DescribeVSwitches`, `ModifyVSwitchAttribute`, `DeleteVSwitch` (version 2016-04-28);
//!   `CreateSecurityGroup`, `AuthorizeSecurityGroup`, `RevokeSecurityGroup`,
//!   `DescribeSecurityGroups`, `DescribeSecurityGroupAttribute`, `ModifySecurityGroupAttribute`,
//!   `DeleteSecurityGroup`, `ImportKeyPair`, `DescribeKeyPairs`, `DeleteKeyPairs`,
//!   `RunInstances`, `DescribeInstances`, `DeleteInstances` (version 2014-05-26).
//! - Time: VPCs and vSwitches are `Pending` before `Available`; instances go `Pending` →
//!   `Starting` → `Running`, and a deleted one is `Stopping` before it is gone ([`Timing`]).
//! - `ClientToken`: a repeated request with the same token gets the first answer again (the
//!   same ids; nothing new is made); the same token with other parameters is
//!   `IdempotentParameterMismatch`.
//! - Validation against a small catalog ([`catalog`]) with the API's error codes.
//! - Faults on demand ([`Fault`]): throttling, server errors, an action carried out whose
//!   answer is lost.
//! - Real hosts on request ([`EmulatorConfig::real_hosts`], [`hosts`]): every instance a
//!   namespace host of this machine on its vSwitch's block, with a real sshd.
//!
//! The `alicloud-emulator` binary runs one for manual use.

mod args;
mod auth;
pub mod catalog;
mod console;
mod ecs;
pub mod hosts;
mod http;
mod instances;
mod offerings;
mod reply;
mod state;
mod vpc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use self::args::Args;
use self::catalog::Region;
pub use self::reply::Reply;
use self::state::State;
pub use self::state::{Logged, Timing};
use crate::signing::Params;

/// An AccessKey the emulator accepts (with its STS token, if it is one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmulatorKey {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
}

impl EmulatorKey {
    pub fn new(id: &str, secret: &str) -> EmulatorKey {
        EmulatorKey { access_key_id: id.to_owned(), access_key_secret: secret.to_owned(), security_token: None }
    }
}

/// The key pair [`EmulatorConfig::default`] accepts.
pub const TEST_ACCESS_KEY_ID: &str = "LTAI5tEmulatorTestKey";
pub const TEST_ACCESS_KEY_SECRET: &str = "emulator-test-secret-d0-not-use";

/// How an [`Emulator`] behaves.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    pub keys: Vec<EmulatorKey>,
    pub timing: Timing,
    /// `Timestamp` may be this far from the emulator's clock (the API allows 15 minutes).
    pub max_clock_skew: Duration,
    /// Living instances per region before `QuotaExceed.AfterpayInstance`.
    pub max_instances: usize,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Make every instance a real host of this machine, with this state directory of the
    /// local provider's host machinery ([`hosts`]; needs root). `None` (the default): instances
    /// are records only.
    pub real_hosts: Option<PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            keys: vec![EmulatorKey::new(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET)],
            timing: Timing {
                instance_pending: Duration::from_millis(300),
                instance_starting: Duration::from_millis(300),
                instance_deleting: Duration::from_millis(200),
                network_pending: Duration::from_millis(200),
            },
            max_clock_skew: Duration::from_secs(15 * 60),
            max_instances: 50,
            port: 0,
            real_hosts: None,
        }
    }
}

/// Trouble the emulator makes on request; each applies to the next `count` requests it
/// matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `Throttling.User` (HTTP 400) instead of an answer.
    Throttle { count: u32 },
    /// `ServiceUnavailable` (HTTP 503) instead of an answer.
    Unavailable { count: u32 },
    /// `action` is carried out, but the answer is replaced by `ServiceUnavailable` (HTTP 503):
    /// the caller cannot tell whether it happened.
    LoseAnswer { action: String, count: u32 },
    /// The next `count` `GetInstanceConsoleOutput` answers list another SSH host key
    /// fingerprint than the instance's sshd has (as if something else answered on its address).
    ForgeConsoleHostKey { count: u32 },
}

/// How many objects the emulator holds (deleted instances still `Stopping` included).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    pub vpcs: usize,
    pub vswitches: usize,
    pub security_groups: usize,
    pub key_pairs: usize,
    pub instances: usize,
}

impl Inventory {
    pub fn is_empty(&self) -> bool {
        *self == Inventory::default()
    }
}

/// A running emulator; stops when dropped.
#[derive(Debug)]
pub struct Emulator {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The thread making real hosts, if any.
    hosts: Option<std::thread::JoinHandle<()>>,
}

type Answer = Result<Reply, Reply>;

impl Emulator {
    /// Starts serving on 127.0.0.1 (on the current tokio runtime).
    ///
    /// # Errors
    /// The port cannot be bound.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::new(config.timing, config.max_instances)));
        let hosts = match config.real_hosts {
            Some(state_dir) => {
                let (sender, handle) = hosts::start(state.clone(), state_dir)?;
                state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).hosts = Some(sender);
                Some(handle)
            }
            None => None,
        };
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let shared = Arc::new(http::Shared { state: state.clone(), keys: config.keys, skew: config.max_clock_skew });
        tokio::spawn(http::serve(listener, shared, stopped));
        Ok(Emulator { address, state, stop: Some(stop), hosts })
    }

    /// `http://127.0.0.1:PORT`: the provider's `endpoint`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Makes trouble for the next matching requests.
    pub fn inject(&self, fault: Fault) {
        self.state().faults.push(fault);
    }

    /// Every request so far: action, status, error code.
    pub fn requests(&self) -> Vec<Logged> {
        self.state().log.clone()
    }

    /// How many requests of `action` were answered with success.
    pub fn successes(&self, action: &str) -> usize {
        self.state().log.iter().filter(|logged| logged.action == action && logged.status == 200).count()
    }

    pub fn inventory(&self) -> Inventory {
        let mut state = self.state();
        state.purge();
        Inventory {
            vpcs: state.vpcs.len(),
            vswitches: state.vswitches.len(),
            security_groups: state.security_groups.len(),
            key_pairs: state.key_pairs.len(),
            instances: state.instances.len(),
        }
    }

    /// Each living instance's host: its phase (`Failed` carries the reason).
    pub fn instance_hosts(&self) -> Vec<(String, hosts::HostPhase)> {
        let mut state = self.state();
        state.purge();
        state.instances.values().map(|instance| (instance.id.clone(), instance.host.clone())).collect()
    }

    /// Ids of the instances not gone.
    pub fn instance_ids(&self) -> Vec<String> {
        let mut state = self.state();
        state.purge();
        state.instances.keys().cloned().collect()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The host thread stops when its last sender goes, destroying the networks it made.
        let sender = self.state().hosts.take();
        drop(sender);
        if let Some(hosts) = self.hosts.take() {
            let _ = hosts.join();
        }
    }
}

type Handler = fn(&mut State, &Region, Args<'_>) -> Answer;

/// The handler of `action` in API `version`: `Err` is the API's answer to an unknown one.
fn handler(version: &str, action: &str) -> Result<Handler, Reply> {
    let handler: Option<Handler> = match version {
        "2016-04-28" => match action {
            "CreateVpc" => Some(vpc::create_vpc),
            "DescribeVpcs" => Some(vpc::describe_vpcs),
            "ModifyVpcAttribute" => Some(vpc::modify_vpc),
            "DeleteVpc" => Some(vpc::delete_vpc),
            "CreateVSwitch" => Some(vpc::create_vswitch),
            "DescribeVSwitches" => Some(vpc::describe_vswitches),
            "ModifyVSwitchAttribute" => Some(vpc::modify_vswitch),
            "DeleteVSwitch" => Some(vpc::delete_vswitch),
            _ => None,
        },
        "2014-05-26" => match action {
            "CreateSecurityGroup" => Some(ecs::create_security_group),
            "AuthorizeSecurityGroup" => Some(ecs::authorize),
            "RevokeSecurityGroup" => Some(ecs::revoke),
            "DescribeSecurityGroups" => Some(ecs::describe_security_groups),
            "DescribeSecurityGroupAttribute" => Some(ecs::describe_security_group_attribute),
            "ModifySecurityGroupAttribute" => Some(ecs::modify_security_group),
            "DeleteSecurityGroup" => Some(ecs::delete_security_group),
            "ImportKeyPair" => Some(ecs::import_key_pair),
            "DescribeKeyPairs" => Some(ecs::describe_key_pairs),
            "DeleteKeyPairs" => Some(ecs::delete_key_pairs),
            "RunInstances" => Some(instances::run_instances),
            "DescribeInstances" => Some(instances::describe_instances),
            "DeleteInstances" => Some(instances::delete_instances),
            "GetInstanceConsoleOutput" => Some(console::get_instance_console_output),
            "DescribeZones" => Some(offerings::describe_zones),
            "DescribeInstanceTypes" => Some(offerings::describe_instance_types),
            "DescribeImages" => Some(offerings::describe_images),
            _ => None,
        },
        _ => return Err(Reply::error(400, "InvalidVersion", "Specified parameter Version is not valid.")),
    };
    handler.ok_or_else(|| {
        Reply::error(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    })
}

/// Runs a verified request against the inventory, with `ClientToken` idempotency.
fn dispatch(state: &mut State, params: &Params) -> Reply {
    run(state, Args(params)).unwrap_or_else(|error| error)
}

fn run(state: &mut State, args: Args<'_>) -> Answer {
    let action = args.required("Action")?;
    let handler = handler(args.required("Version")?, action)?;
    let region_id = args.required("RegionId")?;
    let region = catalog::region(region_id)
        .ok_or_else(|| Reply::error(404, "InvalidRegionId.NotFound", "The specified RegionId does not exist."))?;
    state.purge();
    let Some(token) = args.get("ClientToken") else {
        return handler(state, region, args);
    };
    if token.len() > 64 || !token.is_ascii() {
        return Err(Reply::error(400, "InvalidClientToken.ValueNotSupported", "clienttoken is not valid."));
    }
    let key = (action.to_owned(), token.to_owned());
    if let Some((fingerprint, reply)) = state.client_tokens.get(&key) {
        if *fingerprint != args.fingerprint() {
            return Err(Reply::error(
                400,
                "IdempotentParameterMismatch",
                "Request uses a client token in a previous request but is not Identical to that request.",
            ));
        }
        return Ok(reply.renewed());
    }
    let reply = handler(state, region, args)?;
    state.client_tokens.insert(key, (args.fingerprint(), reply.clone()));
    Ok(reply)
}

/// One page of `items` (`PageNumber` from 1, `PageSize` up to `max`, 10 by default), and the
/// paging fields of the answer.
fn page(items: Vec<Value>, args: Args<'_>, max: u64) -> Result<(Vec<Value>, Value), Reply> {
    let number = args.number("PageNumber", 1)?;
    let size = args.number("PageSize", 10)?;
    if number == 0 {
        return Err(Reply::invalid("PageNumber"));
    }
    if size == 0 || size > max {
        return Err(Reply::invalid("PageSize"));
    }
    let total = items.len();
    let start = ((number - 1) * size) as usize;
    let page: Vec<Value> = items.into_iter().skip(start).take(size as usize).collect();
    Ok((page, json!({ "TotalCount": total, "PageNumber": number, "PageSize": size })))
}
