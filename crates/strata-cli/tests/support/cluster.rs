//! What the real-cluster tests share: bounded commands, the release's components, a workspace
//! with a state directory, shared root and subnet of its own that destroys and collects
//! everything when dropped (passed or failed), and a sweep of what killed runs left.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{plugin, strata};

pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// ZooKeeper (Debian) and pyspark (PyPI, into the component cache), installed if missing.
pub fn install_components() {
    let script = repository().join(".ci/install-components.sh");
    let output = run_bounded(Command::new("bash").arg(&script), Duration::from_secs(600));
    assert!(output.status.success(), "{}: {}", script.display(), String::from_utf8_lossy(&output.stderr));
}

/// Runs a command, killing it (and failing the test) after `limit`.
pub fn run_bounded(command: &mut Command, limit: Duration) -> Output {
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        stdout.read_to_end(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        stderr.read_to_end(&mut text).map(|_| text)
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output { status, stdout: out.join().unwrap().unwrap(), stderr: err.join().unwrap().unwrap() }
}

/// Runs `strata ARGS` in `dir` with the emr and local plugins (at most ten minutes).
pub fn run(dir: &Path, args: &[&str]) -> Output {
    plugin("emr");
    plugin("local");
    run_bounded(Command::new(strata()).args(args).current_dir(dir).env("NO_COLOR", "1"), Duration::from_secs(600))
}

/// Runs `strata ARGS`, failing the test unless it exits with `code`; returns stdout + stderr.
pub fn expect(dir: &Path, args: &[&str], code: i32) -> String {
    let output = run(dir, args);
    let (stdout, stderr) =
        (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned());
    assert_eq!(output.status.code(), Some(code), "strata {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    stdout + &stderr
}

/// An example copied into a directory of its own, with `provider "emr"` settings giving it a
/// state directory, shared root and subnet of its own. Dropped (passed or failed), it
/// destroys what the state knows, then removes whatever is left of its hosts (and their
/// service launchers, which live in the machine's /etc).
pub struct Workspace {
    work: tempfile::TempDir,
    pub state_dir: PathBuf,
    /// Where clusters' shared directories go (every host sees /srv).
    pub shared_root: PathBuf,
}

impl Workspace {
    /// `files` of `examples/<example>` (paths relative to it) copied, plus `test.hcl` holding
    /// the provider block and `extra` HCL.
    pub fn new(example: &str, files: &[&str], extra: &str) -> Workspace {
        sweep_dead_runs();
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let state_dir = PathBuf::from(format!("/var/lib/strata/test-emr-{}-{nanos}", std::process::id()));
        let shared_root = PathBuf::from(format!("/srv/strata/test-emr-{}-{nanos}", std::process::id()));
        let work = tempfile::tempdir().unwrap();
        let source = repository().join("examples").join(example);
        for file in files {
            let target = work.path().join(file);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(source.join(file), target).unwrap();
        }
        let settings = format!(
            "provider \"emr\" {{\n  state_dir   = \"{}\"\n  shared_root = \"{}\"\n  subnet_pool = \"{}\"\n}}\n\n{extra}",
            state_dir.display(),
            shared_root.display(),
            free_subnet()
        );
        std::fs::write(work.path().join("test.hcl"), settings).unwrap();
        Workspace { work, state_dir, shared_root }
    }

    pub fn dir(&self) -> &Path {
        self.work.path()
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if self.dir().join("strata.state.json").exists() {
            let _ = run(self.dir(), &["destroy", "--auto-approve"]);
        }
        let _ = std::fs::remove_dir_all(&self.shared_root);
        if self.state_dir.exists() {
            collect(&self.state_dir);
        }
    }
}

/// Removes every host under `state_dir`, their launchers, and the directory.
pub fn collect(state_dir: &Path) {
    let ids: Vec<String> = std::fs::read_dir(state_dir.join("hosts"))
        .map(|entries| entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let collected = strata_provider_local::gc(state_dir, &[]);
    for launcher in launchers_of(&ids) {
        let _ = std::fs::remove_file(launcher);
    }
    let _ = std::fs::remove_dir_all(state_dir);
    if let Err(error) = collected
        && !std::thread::panicking()
    {
        panic!("cleaning up {}: {error}", state_dir.display());
    }
}

/// Launchers of services of these hosts (`/etc/strata/services/<service>@<host id>.sh`).
pub fn launchers_of(ids: &[String]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir("/etc/strata/services") else { return Vec::new() };
    entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            ids.iter().any(|id| name.ends_with(&format!("@{id}.sh")))
        })
        .collect()
}

/// Removes what earlier runs of these tests left when they were killed before their guard ran.
pub fn sweep_dead_runs() {
    let Ok(entries) = std::fs::read_dir("/var/lib/strata") else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("test-emr-").and_then(|rest| rest.split('-').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(Path::new("/srv/strata").join(&name));
            collect(&entry.path());
        }
    }
}

/// `10.209.X.0/24` for the first X (from this process's id on) no route or address of the
/// machine touches; other tests use other second octets.
pub fn free_subnet() -> String {
    let routes = command_output("ip", &["-4", "route", "show", "table", "all"]);
    let addresses = command_output("ip", &["-4", "address", "show"]);
    let start = std::process::id() % 250;
    (0..250)
        .map(|offset| (start + offset) % 250)
        .map(|third| format!("10.209.{third}."))
        .find(|prefix| !routes.contains(prefix.as_str()) && !addresses.contains(prefix.as_str()))
        .map(|prefix| format!("{prefix}0/24"))
        .expect("a free 10.209.X.0/24")
}

pub fn command_output(program: &str, args: &[&str]) -> String {
    let output = run_bounded(Command::new(program).args(args), Duration::from_secs(30));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The pids in a network namespace with their command names and start times.
pub fn netns_processes(netns: &str) -> Vec<(u32, String, u64)> {
    command_output("ip", &["netns", "pids", netns])
        .split_whitespace()
        .filter_map(|pid| pid.parse::<u32>().ok())
        .filter_map(|pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?.trim().to_string();
            Some((pid, comm, running_since(pid)?))
        })
        .collect()
}

/// A process's start time (field 22 of its stat) unless it is gone or a zombie.
pub fn running_since(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    (!matches!(fields.first(), Some(&"Z" | &"X"))).then(|| fields.get(19)?.parse().ok())?
}

/// Prints the steps' times of test `name` (stderr; `--no-capture` shows them).
#[allow(clippy::print_stderr)]
pub fn report(name: &str, timings: &[(&str, Duration)]) {
    for (step, took) in timings {
        eprintln!("{name}: {step}: {:.2} s", took.as_secs_f64());
    }
}

/// An SSH session as root to `host` (an entry of a cluster output's `hosts`) with the
/// cluster's key (`cluster["key"]`), checking the host key the state recorded.
pub fn ssh_to(cluster: &serde_json::Value, host: &serde_json::Value) -> strata_deploy::Connection {
    let spec = strata_deploy::HostSpec {
        name: host["name"].as_str().unwrap().into(),
        address: host["ip"].as_str().unwrap().into(),
        port: 22,
        user: "root".into(),
        private_key: PathBuf::from(cluster["key"].as_str().unwrap()),
        host_key: host["ssh_host_key_fingerprint"].as_str().unwrap().parse().unwrap(),
    };
    let options = strata_deploy::ConnectOptions { deadline: Duration::from_secs(30), ..Default::default() };
    strata_deploy::connect(&spec, &options).unwrap_or_else(|error| panic!("{error}"))
}

/// Runs `command` on `host` over [`ssh_to`] within `limit`; its standard output.
pub fn run_on_within(cluster: &serde_json::Value, host: &serde_json::Value, command: &str, limit: Duration) -> String {
    let output = ssh_to(cluster, host)
        .run_checked(command, &strata_deploy::ExecOptions::with_timeout(limit))
        .unwrap_or_else(|error| panic!("{command}: {error}"));
    output.stdout_text().to_string()
}

/// [`run_on_within`] 30 seconds.
pub fn run_on(cluster: &serde_json::Value, host: &serde_json::Value, command: &str) -> String {
    run_on_within(cluster, host, command, Duration::from_secs(30))
}

/// What a cluster's hosts are on this machine, taken before destroy: afterwards
/// [`Footprint::assert_gone`] checks that nothing of them is left.
pub struct Footprint {
    network: String,
    ids: Vec<String>,
    /// Every process of the hosts, with its start time.
    pub processes: Vec<(u32, u64)>,
}

impl Footprint {
    /// The hosts (entries of a cluster output's `hosts`) of the local network `network`.
    pub fn of(network: &str, hosts: &[serde_json::Value]) -> Footprint {
        let ids: Vec<String> = hosts.iter().map(|host| host["id"].as_str().unwrap().to_string()).collect();
        let processes = ids
            .iter()
            .flat_map(|id| netns_processes(&strata_provider_local::netns_name(network, id)))
            .map(|(pid, _, since)| (pid, since))
            .collect();
        Footprint { network: network.to_string(), ids, processes }
    }

    /// The service launchers of the hosts.
    pub fn launchers(&self) -> Vec<PathBuf> {
        launchers_of(&self.ids)
    }

    /// No namespace, link, process, mount, launcher or host directory of the hosts is left,
    /// nor the cluster `id`'s records (`records`, relative to the state directory), network
    /// directory and shared directory.
    pub fn assert_gone(&self, workspace: &Workspace, id: &str, records: &[String]) {
        let network = &self.network;
        let listed = command_output("ip", &["netns", "list"]);
        assert!(!listed.contains(&format!("strata.{network}.")), "namespaces left:\n{listed}");
        let links = command_output("ip", &["-o", "link"]);
        let mut ours: Vec<String> = self.ids.iter().map(|id| strata_provider_local::veth_name(network, id)).collect();
        ours.push(strata_provider_local::bridge_name(network));
        let left: Vec<&String> = ours.iter().filter(|name| links.contains(&format!(" {name}:"))).collect();
        assert!(left.is_empty(), "links left: {left:?}");
        for (pid, since) in &self.processes {
            assert_ne!(running_since(*pid), Some(*since), "process {pid} of a destroyed host still runs");
        }
        let state_dir = workspace.state_dir.to_string_lossy().into_owned();
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap();
        assert!(!mounts.contains(&state_dir), "mounts left under {state_dir}:\n{mounts}");
        assert!(self.launchers().is_empty(), "launchers left: {:?}", self.launchers());
        let host_dirs: Vec<_> = std::fs::read_dir(workspace.state_dir.join("hosts")).unwrap().collect();
        assert!(host_dirs.is_empty(), "host directories left: {host_dirs:?}");
        for record in records {
            assert!(!workspace.state_dir.join(record).exists(), "{record} is left");
        }
        assert!(!workspace.state_dir.join(format!("networks/{network}")).exists(), "the network's directory is left");
        assert!(!workspace.shared_root.join(id).exists(), "the cluster's shared directory is left");
    }
}

/// The tables of the metastore database at `ip`, asked from this machine as `hive`.
pub fn metastore_tables(ip: &str, password: &str) -> String {
    let output = run_bounded(
        Command::new("/usr/lib/postgresql/15/bin/psql")
            .args(["-h", ip, "-U", "hive", "-d", "metastore", "-tAc", "SELECT \"TBL_NAME\" FROM \"TBLS\""])
            .env("PGPASSWORD", password)
            .env("PGCONNECT_TIMEOUT", "10"),
        Duration::from_secs(30),
    );
    assert!(output.status.success(), "psql: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}
