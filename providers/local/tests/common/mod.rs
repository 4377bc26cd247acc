//! Shared by the real-host tests: a network under a unique state directory, torn down (by
//! `gc` and directory removal) when the test ends, passes or panics; `ssh` to a host; checks
//! that nothing of a host is left on the machine.
//!
//! The tests need root. Outside CI, without root, they pass without doing anything; under
//! CI (`CI` set) lacking root is a failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use strata_provider_local::{Error, HostInfo, Network, Subnet, gc};

/// A test's network and state directory, removed on drop.
pub struct TestNetwork {
    pub network: Network,
    pub state_dir: PathBuf,
}

/// Whether this process may make hosts; `false` means "skip" (never under CI).
pub fn can_run() -> bool {
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("Uid:")).map(str::to_string))
        .is_some_and(|line| line.split_whitespace().nth(2) == Some("0"));
    assert!(root || std::env::var_os("CI").is_none(), "the local host tests must run as root under CI");
    root
}

/// A unique state directory (never under /tmp) for a test called `tag`.
pub fn unique_state_dir(tag: &str) -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
    PathBuf::from(format!("/var/lib/strata/test-{tag}-{}-{nanos}", std::process::id()))
}

impl TestNetwork {
    /// A network named after the test and this process, on `10.<second_octet>.X.0/24` where X
    /// is the first candidate no route on the machine uses yet. Each test passes its own
    /// `second_octet`, so tests running in parallel never share a subnet.
    pub fn new(tag: &str, second_octet: u8) -> TestNetwork {
        let state_dir = unique_state_dir(tag);
        let name = format!("t{}-{tag}", std::process::id());
        let start = (std::process::id() % 250) as u8;
        for offset in 0..50u8 {
            let third = start.wrapping_add(offset);
            let subnet: Subnet = format!("10.{second_octet}.{third}.0/24").parse().unwrap();
            match Network::open(&state_dir, &name, Some(subnet)) {
                Ok(network) => return TestNetwork { network, state_dir },
                Err(Error::SubnetOverlap { .. }) => continue,
                Err(error) => {
                    let _ = std::fs::remove_dir_all(&state_dir);
                    panic!("opening network {name}: {error}");
                }
            }
        }
        panic!("no free subnet 10.{second_octet}.X.0/24 for network {name}");
    }

    pub fn client_key(&self) -> PathBuf {
        self.network.client_key_path()
    }
}

impl Drop for TestNetwork {
    fn drop(&mut self) {
        let result = gc(&self.state_dir, &[]);
        let _ = std::fs::remove_dir_all(&self.state_dir);
        if let Err(error) = result
            && !std::thread::panicking()
        {
            panic!("cleaning up {}: {error}", self.state_dir.display());
        }
    }
}

/// Runs `command` on `host` as root with the OpenSSH client; returns (success, stdout, stderr).
pub fn ssh(key: &Path, host: &HostInfo, command: &str) -> (bool, String, String) {
    let output = Command::new("timeout")
        .args(["30", "ssh", "-i"])
        .arg(key)
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=10",
            "-o",
            "LogLevel=ERROR",
        ])
        .arg(format!("root@{}", host.ip))
        .arg(command)
        .output()
        .expect("running ssh");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Like [`ssh`], failing the test unless the command succeeds; returns stdout.
pub fn ssh_ok(key: &Path, host: &HostInfo, command: &str) -> String {
    let (ok, stdout, stderr) = ssh(key, host, command);
    assert!(ok, "ssh root@{} {command:?} failed: {stderr}", host.ip);
    stdout
}

/// The fingerprint of the ed25519 host key `host`'s sshd actually presents.
pub fn served_fingerprint(host: &HostInfo) -> String {
    let scan =
        Command::new("ssh-keyscan").args(["-T", "10", "-t", "ed25519"]).arg(host.ip.to_string()).output().unwrap();
    let mut keygen = Command::new("ssh-keygen")
        .args(["-l", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut keygen.stdin.take().unwrap(), &scan.stdout).unwrap();
    let output = keygen.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.split_whitespace().nth(1).unwrap_or_default().to_string()
}

/// Fails the test if anything of the host is left: a namespace of its name, a link, a
/// process, a mount under the state directory, its directory.
pub fn assert_nothing_left(state_dir: &Path, network: &str, host: &HostInfo) {
    let namespaces = run("ip", &["netns", "list"]);
    let netns = format!("strata.{network}.{}", host.id);
    assert!(
        !namespaces.lines().any(|line| line.split_whitespace().next() == Some(&netns)),
        "{netns} left: {namespaces}"
    );
    let init = host.init_pid.unwrap();
    assert!(!Path::new(&format!("/proc/{init}")).exists(), "init {init} of host {} left", host.id);
    let launchers = pids_mentioning(&state_dir.join("hosts").join(&host.id).to_string_lossy());
    assert!(launchers.is_empty(), "processes {launchers:?} of host {} left", host.id);
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap();
    let state = state_dir.to_string_lossy();
    assert!(!mounts.contains(state.as_ref()), "mounts under {state} left: {mounts}");
    assert!(!state_dir.join("hosts").join(&host.id).exists(), "directory of host {} left", host.id);
}

/// The pids of every process whose command line mentions `needle`.
pub fn pids_mentioning(needle: &str) -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(needle) {
            pids.push(pid);
        }
    }
    pids
}

/// Runs a command, failing the test unless it succeeds; returns stdout.
pub fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|error| panic!("{program}: {error}"));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether a network link of this name exists.
pub fn link_exists(name: &str) -> bool {
    Path::new("/sys/class/net").join(name).exists()
}
