//! Opening an authenticated SSH session to one host, with host key verification and retries.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant};

use ssh2::{Session, Sftp};

use crate::error::DeployError;
use crate::fingerprint::Fingerprint;

/// Where and as whom to connect, and which host key to expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    /// The host's name in results, progress and errors; also the session pool's key.
    pub name: String,
    /// IP address or DNS name.
    pub address: String,
    pub port: u16,
    pub user: String,
    /// A private key file (ed25519 or any type libssh2 reads) without a passphrase.
    pub private_key: PathBuf,
    /// The expected host key fingerprint; any other key is refused.
    pub host_key: Fingerprint,
}

/// Timeouts and retry policy for connecting and for blocking SSH calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Limit for one attempt's TCP connect, and for each step of the handshake.
    pub attempt_timeout: Duration,
    /// Connect attempts stop once this much time has passed since the first.
    pub deadline: Duration,
    /// Wait after the first failed attempt; doubled after each further one.
    pub initial_backoff: Duration,
    /// Longest wait between attempts.
    pub max_backoff: Duration,
    /// Limit for each blocking call once connected (SFTP writes, channel setup).
    pub io_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            attempt_timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            io_timeout: Duration::from_secs(60),
        }
    }
}

/// An authenticated SSH session to one host. Used by one thread at a time (`&mut self`).
pub struct Connection {
    pub(crate) host: HostSpec,
    pub(crate) session: Session,
    pub(crate) sftp: Option<Sftp>,
    pub(crate) io_timeout: Duration,
    host_key: Fingerprint,
}

impl Connection {
    /// The host this session is connected to.
    pub fn host(&self) -> &HostSpec {
        &self.host
    }

    /// The fingerprint of the host key the server presented (it equals `host().host_key`).
    pub fn host_key(&self) -> &Fingerprint {
        &self.host_key
    }

    /// The remote SFTP subsystem, opened once per session.
    pub(crate) fn sftp(&mut self) -> Result<&Sftp, DeployError> {
        if self.sftp.is_none() {
            self.session.set_blocking(true);
            self.session.set_timeout(millis(self.io_timeout));
            let sftp = self.session.sftp().map_err(DeployError::ssh(&self.host.name, "start the SFTP subsystem"))?;
            self.sftp = Some(sftp);
        }
        Ok(self.sftp.as_ref().expect("opened above"))
    }
}

/// Connects to `host`, retrying transport failures (refused, unreachable, handshake) with
/// exponential backoff until `options.deadline`. A host key mismatch or an authentication
/// failure is returned at once.
pub fn connect(host: &HostSpec, options: &ConnectOptions) -> Result<Connection, DeployError> {
    let started = Instant::now();
    let mut backoff = options.initial_backoff;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let error = match connect_once(host, options) {
            Ok(connection) => return Ok(connection),
            Err(error) if error.is_retryable_connect() => error,
            Err(error) => return Err(error),
        };
        let elapsed = started.elapsed();
        if elapsed + backoff >= options.deadline {
            return Err(DeployError::ConnectDeadline {
                host: host.name.clone(),
                attempts,
                elapsed,
                last: Box::new(error),
            });
        }
        thread::sleep(backoff);
        backoff = (backoff * 2).min(options.max_backoff);
    }
}

fn connect_once(host: &HostSpec, options: &ConnectOptions) -> Result<Connection, DeployError> {
    let stream = open_tcp(host, options.attempt_timeout)?;
    let mut session = Session::new().map_err(|source| DeployError::Handshake { host: host.name.clone(), source })?;
    session.set_timeout(millis(options.attempt_timeout));
    session.set_tcp_stream(stream);
    session.handshake().map_err(|source| DeployError::Handshake { host: host.name.clone(), source })?;

    let (blob, _) = session.host_key().ok_or_else(|| DeployError::NoHostKey { host: host.name.clone() })?;
    let actual = Fingerprint::of_key_blob(blob);
    if actual != host.host_key {
        return Err(DeployError::HostKeyMismatch { host: host.name.clone(), expected: host.host_key.clone(), actual });
    }

    session.userauth_pubkey_file(&host.user, None, &host.private_key, None).map_err(|source| {
        DeployError::Authentication {
            host: host.name.clone(),
            user: host.user.clone(),
            key_path: host.private_key.clone(),
            source,
        }
    })?;
    session.set_timeout(millis(options.io_timeout));
    Ok(Connection { host: host.clone(), session, sftp: None, io_timeout: options.io_timeout, host_key: actual })
}

fn open_tcp(host: &HostSpec, timeout: Duration) -> Result<TcpStream, DeployError> {
    let addresses: Vec<SocketAddr> = (host.address.as_str(), host.port)
        .to_socket_addrs()
        .map_err(|source| DeployError::Resolve {
            host: host.name.clone(),
            address: host.address.clone(),
            port: host.port,
            source,
        })?
        .collect();
    let mut last_error = std::io::Error::new(std::io::ErrorKind::NotFound, "the name resolved to no address");
    for address in addresses {
        match TcpStream::connect_timeout(&address, timeout) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(error) => last_error = error,
        }
    }
    Err(DeployError::Connect {
        host: host.name.clone(),
        address: host.address.clone(),
        port: host.port,
        source: last_error,
    })
}

/// A duration in milliseconds for libssh2 (0 would mean "no timeout", so at least 1).
pub(crate) fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unreachable_host() -> HostSpec {
        // Port 1 on loopback: nothing listens there, so every attempt is refused at once.
        HostSpec {
            name: "nowhere".to_owned(),
            address: "127.0.0.1".to_owned(),
            port: 1,
            user: "root".to_owned(),
            private_key: PathBuf::from("/nonexistent/key"),
            host_key: "SHA256:6m08+sZn+oYCX0SaRvbVR9W10KfJ53TmbVgw27VAlFg".parse().unwrap(),
        }
    }

    #[test]
    fn retries_with_backoff_until_the_deadline() {
        let options = ConnectOptions {
            deadline: Duration::from_millis(700),
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(200),
            ..ConnectOptions::default()
        };
        let started = Instant::now();
        let error = connect(&unreachable_host(), &options).err().unwrap();
        let elapsed = started.elapsed();
        let DeployError::ConnectDeadline { attempts, last, host, .. } = &error else { panic!("{error}") };
        assert_eq!(host, "nowhere");
        // Waits of 50, 100, 200, 200 ms fit before 700 ms; the next would not.
        assert!((4..=6).contains(attempts), "{attempts} attempts");
        assert!(matches!(**last, DeployError::Connect { .. }), "{last}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
        assert!(error.to_string().contains("127.0.0.1:1"), "{error}");
    }
}
