//! The one error type of the crate. Every variant names what it was doing and on what (a
//! path, a command, a host), and says what to do where the fix is known.

use std::path::PathBuf;
use std::time::Duration;

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong making, inspecting or removing local hosts.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The process lacks the privileges namespaces, veths and bridges need.
    #[error(
        "creating local hosts needs root: {detail}. Network namespaces, veth links and bridges need \
         CAP_SYS_ADMIN and CAP_NET_ADMIN; run strata as root (for example with sudo), or in a \
         container started with --privileged"
    )]
    NotPrivileged { detail: String },

    /// `/usr/sbin/sshd` is missing.
    #[error(
        "{} not found: every local host runs OpenSSH's server. Install the Debian package \
         openssh-server (as root: `bash .ci/install-host-deps.sh`, or `apt-get install openssh-server`)",
        path.display()
    )]
    SshdMissing { path: PathBuf },

    /// Another program the hosts need is missing.
    #[error("`{program}` not found: install the Debian package {package} (as root: `bash .ci/install-host-deps.sh`)")]
    ToolMissing { program: &'static str, package: &'static str },

    /// A network name, host id or hostname that cannot be used.
    #[error("invalid {what} {value:?}: {reason}")]
    InvalidName { what: &'static str, value: String, reason: &'static str },

    /// A subnet that cannot be parsed or is unsuitable for a host network.
    #[error("invalid subnet {value:?}: {reason}")]
    InvalidSubnet { value: String, reason: String },

    /// The state directory is somewhere hosts cannot use.
    #[error("state directory {}: {reason}", path.display())]
    InvalidStateDir { path: PathBuf, reason: &'static str },

    /// The requested subnet collides with an address or route already on the machine.
    #[error(
        "subnet {subnet} of network {network} overlaps {existing} (on {device}), already in use on this \
         machine; choose another subnet for the network"
    )]
    SubnetOverlap { network: String, subnet: String, existing: String, device: String },

    /// The network was recorded with another subnet and still has hosts.
    #[error("network {network} has hosts on subnet {recorded}; it cannot move to {requested} until they are destroyed")]
    SubnetChanged { network: String, recorded: String, requested: String },

    /// Every address of the subnet is taken.
    #[error("subnet {subnet} of network {network} has no free address left for host {id}")]
    SubnetFull { network: String, subnet: String, id: String },

    /// A host address asked for that the network cannot give.
    #[error("address {address} cannot be given to host {id}: {reason}")]
    AddressUnavailable { address: String, id: String, reason: String },

    /// The instance type is not in the catalog.
    #[error("unknown instance type {name:?}; known types: {known}")]
    UnknownInstanceType { name: String, known: String },

    /// A host with this id is already recorded.
    #[error("host {id} already exists (in network {network}); destroy it first")]
    HostExists { id: String, network: String },

    /// Two hosts of one network would share a hostname.
    #[error("hostname {hostname} is already used by host {other} in network {network}")]
    HostnameTaken { hostname: String, other: String, network: String },

    /// The host id is recorded under another network.
    #[error("host {id} belongs to network {owner}, not {network}")]
    WrongNetwork { id: String, owner: String, network: String },

    /// A command could not be started.
    #[error("could not run `{program}`: {source}")]
    Spawn { program: String, source: std::io::Error },

    /// A command exited unsuccessfully.
    #[error("`{command}` failed ({status}): {stderr}")]
    Command { command: String, status: String, stderr: String },

    /// A command ran past its time limit and was killed.
    #[error("`{command}` did not finish within {timeout:?} and was killed")]
    Timeout { command: String, timeout: Duration },

    /// A file system operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },

    /// A record under the state directory cannot be read.
    #[error("record {} is invalid: {source}", path.display())]
    Record { path: PathBuf, source: serde_json::Error },

    /// The host did not come up in time.
    #[error("host {id}: {what} within {waited:?}{log}")]
    NotReady { id: String, what: String, waited: Duration, log: String },

    /// Processes of a host survived SIGKILL.
    #[error("host {id}: processes {pids:?} still alive {waited:?} after SIGKILL")]
    ProcessesSurvived { id: String, pids: Vec<u32>, waited: Duration },

    /// Teardown finished its steps but something is left.
    #[error("host {id}: teardown left {what}")]
    Leftover { id: String, what: String },

    /// An SSH public key line that cannot be fingerprinted.
    #[error("SSH public key {}: {reason}", path.display())]
    InvalidPublicKey { path: PathBuf, reason: String },

    /// Command output that does not have the expected shape.
    #[error("cannot read the output of `{command}`: {reason}")]
    UnexpectedOutput { command: String, reason: String },
}

impl Error {
    /// An [`Error::Io`] for `action` on `path`.
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { action, path, source }
    }
}
