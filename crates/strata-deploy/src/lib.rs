//! The SSH deployer: the one code path that installs and starts software on hosts (namespace
//! hosts, SSH hosts and cloud VMs alike), over SSH with libssh2 (`ssh2`).
//!
//! Entry point: [`Deployer`], which runs blocking work on many hosts from async code with a
//! concurrency limit, a pooled session per host ([`SessionPool`]) and progress callbacks
//! ([`ProgressUpdate`]). The work gets a [`Connection`] and usually calls
//! [`Connection::converge`] with a list of [`DesiredState`]s.
//!
//! The layers, pyinfra style:
//! - **connector** (thin, I/O): [`connect`] (ed25519 key, host key checked against a
//!   [`Fingerprint`], retries with backoff), [`Connection::run`] (exit code, bounded output,
//!   timeout; [`Connection::run_lines`] also hands over each output line as it arrives),
//!   [`Connection::upload`] (SFTP to a temporary file, `sha256sum` on the host, rename).
//! - **facts** ([`facts`]): a shell command plus a pure parser; many facts of a host are read
//!   in one round trip ([`facts::FactBatch`], [`Connection::gather`]).
//! - **operations** ([`operations`]): pure functions from (facts, desired state) to
//!   [`operations::Step`]s; an empty list means nothing to do.
//! - **service supervision** ([`service`]): pid-file supervision where PID 1 is not systemd,
//!   unit files and `systemctl` where it is.
//!
//! Nothing here prints. Errors ([`DeployError`]) name the host; private keys are named by
//! path only.

mod connect;
mod content;
mod converge;
mod error;
mod exec;
pub mod facts;
mod fanout;
mod fingerprint;
mod mode;
mod nonce;
pub mod operations;
pub mod service;
mod session_pool;
mod shell;
mod stream;
mod upload;

pub use connect::{ConnectOptions, Connection, HostSpec, connect};
pub use content::{FileContent, sha256_hex, sha256_of_file};
pub use converge::DesiredState;
pub use error::DeployError;
pub use exec::{CommandOutput, ExecOptions};
pub use fanout::{Deployer, HostOutcome, ProgressUpdate};
pub use fingerprint::{Fingerprint, FingerprintError};
pub use mode::{InvalidMode, Mode};
pub use service::{ServiceSpec, ServiceSupervisor};
pub use session_pool::SessionPool;
pub use shell::quote as shell_quote;
pub use stream::{LineSplitter, OutputStream};
pub use upload::Uploaded;
