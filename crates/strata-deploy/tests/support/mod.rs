//! A real sshd on loopback for the integration tests, killed on drop even when a test fails.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use strata_deploy::{ConnectOptions, Fingerprint, HostSpec};
use tempfile::TempDir;

const SSHD: &str = "/usr/sbin/sshd";
const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// An sshd started with `-D -e -f <temp config>`, with its own host key and one client key.
pub struct Sshd {
    child: Child,
    pub directory: TempDir,
    pub port: u16,
    pub host_key: Fingerprint,
    pub client_key: PathBuf,
    pub user: String,
}

impl Sshd {
    pub fn start() -> Sshd {
        assert!(
            Path::new(SSHD).exists(),
            "{SSHD} is missing: run `bash .ci/install-host-deps.sh` (installs openssh-server)"
        );
        let directory = tempfile::Builder::new().prefix("strata-deploy-sshd").tempdir().unwrap();
        let dir = directory.path();
        let host_key = dir.join("host_key");
        let client_key = dir.join("client_key");
        keygen(&host_key);
        keygen(&client_key);
        fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).unwrap();
        let host_key_line = fs::read_to_string(dir.join("host_key.pub")).unwrap();
        let fingerprint = Fingerprint::of_public_key_line(&host_key_line).unwrap();
        let user = current_user();
        // Privilege separation directory that sshd insists on.
        fs::create_dir_all("/run/sshd").unwrap();

        let port = free_port();
        let config = dir.join("sshd_config");
        fs::write(
            &config,
            format!(
                "Port {port}\n\
                 ListenAddress 127.0.0.1\n\
                 HostKey {host_key}\n\
                 PidFile {pid_file}\n\
                 AuthorizedKeysFile {authorized_keys}\n\
                 PermitRootLogin prohibit-password\n\
                 PasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\n\
                 UsePAM no\n\
                 StrictModes no\n\
                 UseDNS no\n\
                 MaxStartups 50\n\
                 MaxSessions 50\n\
                 Subsystem sftp internal-sftp\n",
                host_key = host_key.display(),
                pid_file = dir.join("sshd.pid").display(),
                authorized_keys = dir.join("authorized_keys").display(),
            ),
        )
        .unwrap();
        let log = fs::File::create(dir.join("sshd.log")).unwrap();
        let child = Command::new(SSHD)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0)
            .spawn()
            .unwrap();
        let mut sshd = Sshd { child, directory, port, host_key: fingerprint, client_key, user };
        sshd.wait_until_ready();
        sshd
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        while started.elapsed() < READY_TIMEOUT {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("sshd exited with {status}: {}", self.log());
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        panic!("sshd did not accept connections within {READY_TIMEOUT:?}: {}", self.log());
    }

    pub fn log(&self) -> String {
        fs::read_to_string(self.directory.path().join("sshd.log")).unwrap_or_default()
    }

    /// A host spec for this sshd under `name`.
    pub fn host(&self, name: &str) -> HostSpec {
        HostSpec {
            name: name.to_owned(),
            address: "127.0.0.1".to_owned(),
            port: self.port,
            user: self.user.clone(),
            private_key: self.client_key.clone(),
            host_key: self.host_key.clone(),
        }
    }

    /// A scratch directory on the "host" (this machine).
    pub fn scratch(&self, name: &str) -> String {
        let path = self.directory.path().join(name);
        fs::create_dir_all(&path).unwrap();
        path.display().to_string()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        // The listener and anything in its process group; sessions end with their clients.
        let _ = Command::new("kill").arg("-KILL").arg("--").arg(format!("-{}", self.child.id())).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Short timeouts so that no test can hang.
pub fn options() -> ConnectOptions {
    ConnectOptions {
        attempt_timeout: Duration::from_secs(5),
        deadline: Duration::from_secs(15),
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_secs(1),
        io_timeout: Duration::from_secs(20),
    }
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "strata-deploy-test", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "ssh-keygen failed for {}", path.display());
}

fn current_user() -> String {
    let output = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
