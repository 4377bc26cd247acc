//! The deployer's error: every variant names the host (or local path) it is about.
//!
//! Errors never carry private key contents or passwords: a key is named by its path only.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use crate::facts::FactError;
use crate::fingerprint::Fingerprint;
use crate::operations::OperationError;

/// Longest command text kept in an error; longer commands are cut with `…`.
const COMMAND_TEXT_LIMIT: usize = 200;
/// Longest standard error kept in [`DeployError::CommandFailed`].
const STDERR_TEXT_LIMIT: usize = 2000;

/// A failure of the deployer, naming the host it happened on.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("cannot resolve the address of {host} ({address}:{port}): {source}")]
    Resolve { host: String, address: String, port: u16, source: io::Error },

    #[error("cannot open a TCP connection to {host} ({address}:{port}): {source}")]
    Connect { host: String, address: String, port: u16, source: io::Error },

    #[error("the SSH handshake with {host} failed: {source}")]
    Handshake { host: String, source: ssh2::Error },

    #[error("gave up connecting to {host} after {attempts} attempts in {elapsed:?}: {last}")]
    ConnectDeadline { host: String, attempts: u32, elapsed: Duration, last: Box<DeployError> },

    #[error("{host} did not present a host key")]
    NoHostKey { host: String },

    #[error("the host key of {host} does not match: expected {expected}, the host presented {actual}")]
    HostKeyMismatch { host: String, expected: Fingerprint, actual: Fingerprint },

    #[error("public key authentication as {user} on {host} with the key {key_path} failed: {source}")]
    Authentication { host: String, user: String, key_path: PathBuf, source: ssh2::Error },

    #[error("{host}: cannot {action}: {source}")]
    Ssh { host: String, action: String, source: ssh2::Error },

    #[error("{host}: cannot {action}: {source}")]
    Io { host: String, action: String, source: io::Error },

    #[error("{host}: the command did not finish within {timeout:?} and was killed: {command}")]
    Timeout { host: String, command: String, timeout: Duration },

    #[error("{host}: the command failed ({status}): {command}\nstderr: {stderr}")]
    CommandFailed { host: String, command: String, status: String, stderr: String },

    #[error("{host}: the sha256 of {path} is {actual}, expected {expected}")]
    ChecksumMismatch { host: String, path: String, expected: String, actual: String },

    #[error("cannot read the local file {path}: {source}")]
    LocalFile { path: PathBuf, source: io::Error },

    #[error("{host}: unexpected output from {action}: {output}")]
    UnexpectedOutput { host: String, action: String, output: String },

    #[error("{host}: {source}")]
    Fact { host: String, source: FactError },

    #[error("{host}: {source}")]
    Operation { host: String, source: OperationError },

    #[error("{host}: the worker thread failed: {message}")]
    Worker { host: String, message: String },
}

impl DeployError {
    /// The host this error is about (`None` for a local file).
    pub fn host(&self) -> Option<&str> {
        match self {
            Self::Resolve { host, .. }
            | Self::Connect { host, .. }
            | Self::Handshake { host, .. }
            | Self::ConnectDeadline { host, .. }
            | Self::NoHostKey { host }
            | Self::HostKeyMismatch { host, .. }
            | Self::Authentication { host, .. }
            | Self::Ssh { host, .. }
            | Self::Io { host, .. }
            | Self::Timeout { host, .. }
            | Self::CommandFailed { host, .. }
            | Self::ChecksumMismatch { host, .. }
            | Self::UnexpectedOutput { host, .. }
            | Self::Fact { host, .. }
            | Self::Operation { host, .. }
            | Self::Worker { host, .. } => Some(host),
            Self::LocalFile { .. } => None,
        }
    }

    /// Whether the SSH session may be broken, so that a pool should reconnect next time.
    pub fn breaks_session(&self) -> bool {
        matches!(self, Self::Ssh { .. } | Self::Io { .. } | Self::Worker { .. })
    }

    /// Whether a new connection attempt may succeed (the host may still be starting).
    pub(crate) fn is_retryable_connect(&self) -> bool {
        matches!(self, Self::Resolve { .. } | Self::Connect { .. } | Self::Handshake { .. })
    }

    pub(crate) fn ssh(host: &str, action: impl Into<String>) -> impl FnOnce(ssh2::Error) -> Self {
        let (host, action) = (host.to_owned(), action.into());
        move |source| Self::Ssh { host, action, source }
    }

    pub(crate) fn io(host: &str, action: impl Into<String>) -> impl FnOnce(io::Error) -> Self {
        let (host, action) = (host.to_owned(), action.into());
        move |source| Self::Io { host, action, source }
    }
}

/// A command's text for an error message: its first line, at most a few hundred characters.
pub(crate) fn command_summary(command: &str) -> String {
    let first_line = command.trim().lines().next().unwrap_or("");
    let mut summary: String = first_line.chars().take(COMMAND_TEXT_LIMIT).collect();
    if summary.len() < command.trim().len() {
        summary.push('…');
    }
    summary
}

/// Standard error for an error message: the last part, lossily decoded.
pub(crate) fn stderr_summary(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim();
    let skip = text.chars().count().saturating_sub(STDERR_TEXT_LIMIT);
    text.chars().skip(skip).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarizes_long_commands_to_their_first_line() {
        assert_eq!(command_summary("true"), "true");
        assert_eq!(command_summary("set -e\nrm -rf /x"), "set -e…");
        assert_eq!(command_summary(&"a".repeat(300)).chars().count(), COMMAND_TEXT_LIMIT + 1);
    }
}
