//! `examples/local-spark` for real: a ZooKeeper + Spark standalone cluster on namespace hosts
//! and a PySpark job on it, through the real `strata` binary and the plugin
//! `strata-provider-emr` (built next to `strata` if missing).
//!
//! `cluster_job_drift_repair_destroy` (root; skipped elsewhere, required under CI) copies the
//! example into a directory of its own with a provider block giving it a state directory and
//! a subnet of its own, installs the release's components if this machine lacks them
//! (`.ci/install-components.sh`), then: apply → ZooKeeper answers `ruok` → the Spark master's
//! JSON lists every worker ALIVE → the job's output and a `spark-submit` of pyspark's bundled
//! `pi.py` over SSH on the master both print "Pi is roughly 3.1" → no-op plan → a worker is
//! killed from outside → `plan --detailed-exitcode` exits 2 naming it → apply restarts it →
//! destroy leaves nothing (namespaces, links, processes, mounts, launchers, records). Every
//! wait is bounded; a guard destroys and collects everything when the test fails.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;
use strata_deploy::{ConnectOptions, ExecOptions, HostSpec, connect};

mod support;
use support::{can_make_hosts, plugin, strata};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// ZooKeeper (Debian) and pyspark (PyPI, into the component cache), installed if missing.
fn install_components() {
    let script = repository().join(".ci/install-components.sh");
    let output = run_bounded(Command::new("bash").arg(&script), Duration::from_secs(600));
    assert!(output.status.success(), "{}: {}", script.display(), String::from_utf8_lossy(&output.stderr));
}

/// Runs a command, killing it (and failing the test) after `limit`.
fn run_bounded(command: &mut Command, limit: Duration) -> Output {
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

/// Runs `strata ARGS` in `dir` (at most ten minutes).
fn run(dir: &Path, args: &[&str]) -> Output {
    plugin("emr");
    run_bounded(Command::new(strata()).args(args).current_dir(dir).env("NO_COLOR", "1"), Duration::from_secs(600))
}

/// Runs of whitespace as one space, so expectations do not depend on alignment.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs `strata ARGS`, failing the test unless it exits with `code`; returns stdout and stderr.
fn expect(dir: &Path, args: &[&str], code: i32) -> String {
    let output = run(dir, args);
    let (stdout, stderr) =
        (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned());
    assert_eq!(output.status.code(), Some(code), "strata {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    stdout + &stderr
}

/// The example in a directory of its own, with a state directory and subnet of its own.
/// Dropped (passed or failed), it destroys what the state knows, then removes whatever is
/// left of its hosts (and their service launchers, which live in the machine's /etc).
struct Workspace {
    work: tempfile::TempDir,
    state_dir: PathBuf,
    /// Where the cluster's shared directory goes (every host sees /srv).
    shared_root: PathBuf,
}

impl Workspace {
    fn new() -> Workspace {
        sweep_dead_runs();
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let state_dir = PathBuf::from(format!("/var/lib/strata/test-emr-{}-{nanos}", std::process::id()));
        let shared_root = PathBuf::from(format!("/srv/strata/test-emr-{}-{nanos}", std::process::id()));
        let work = tempfile::tempdir().unwrap();
        // The example itself declares `output "pi"` (the job's output), which the test reads.
        let example = repository().join("examples/local-spark");
        for file in ["main.hcl", "pi.py"] {
            std::fs::copy(example.join(file), work.path().join(file)).unwrap();
        }
        let settings = format!(
            "provider \"emr\" {{\n  state_dir   = \"{}\"\n  shared_root = \"{}\"\n  subnet_pool = \"{}\"\n}}\n\n\
             output \"cluster\" {{\n  value = {{\n    id         = emr_cluster.analytics.id\n    \
             hosts      = emr_cluster.analytics.hosts\n    key        = emr_cluster.analytics.ssh_private_key_path\n    \
             master_url = emr_cluster.analytics.master_url\n    zookeeper  = emr_cluster.analytics.zookeeper_connect\n  }}\n}}\n",
            state_dir.display(),
            shared_root.display(),
            free_subnet()
        );
        std::fs::write(work.path().join("test.hcl"), settings).unwrap();
        Workspace { work, state_dir, shared_root }
    }

    fn dir(&self) -> &Path {
        self.work.path()
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if !self.state_dir.exists() {
            return;
        }
        let _ = run(self.dir(), &["destroy", "--auto-approve"]);
        let _ = std::fs::remove_dir_all(&self.shared_root);
        collect(&self.state_dir);
    }
}

/// Removes every host under `state_dir`, their launchers, and the directory.
fn collect(state_dir: &Path) {
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
fn launchers_of(ids: &[String]) -> Vec<PathBuf> {
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

/// Removes what earlier runs of this test left when they were killed before their guard ran.
fn sweep_dead_runs() {
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
fn free_subnet() -> String {
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

fn command_output(program: &str, args: &[&str]) -> String {
    let output = run_bounded(Command::new(program).args(args), Duration::from_secs(30));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// ZooKeeper's `ruok` on `address` (`IP:PORT`).
fn ruok(address: &str) -> String {
    let address: SocketAddr = address.parse().unwrap();
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(b"ruok").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// The body of `GET http://ip:port/path` (empty when the server does not answer).
fn http_get(ip: &str, port: u16, path: &str) -> String {
    let address: SocketAddr = format!("{ip}:{port}").parse().unwrap();
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(5)) else { return String::new() };
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: {ip}\r\n\r\n").as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default()
}

/// The Spark master's `/json/`.
fn master_json(ip: &str) -> Json {
    let body = http_get(ip, 8080, "/json/");
    serde_json::from_str(&body).unwrap_or_else(|error| panic!("{error}: {body}"))
}

/// Whether the master lists an ALIVE worker on `ip` whose id is not `except`.
fn worker_alive(master: &Json, ip: &str, except: Option<&str>) -> Option<String> {
    master["workers"].as_array()?.iter().find_map(|worker| {
        let id = worker["id"].as_str()?;
        (worker["host"] == ip && worker["state"] == "ALIVE" && Some(id) != except).then(|| id.to_string())
    })
}

/// The pids in a network namespace with their command names and start times.
fn netns_processes(netns: &str) -> Vec<(u32, String, u64)> {
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
fn running_since(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    (!matches!(fields.first(), Some(&"Z" | &"X"))).then(|| fields.get(19)?.parse().ok())?
}

#[allow(clippy::print_stderr)]
fn report(timings: &[(&str, Duration)]) {
    for (step, took) in timings {
        eprintln!("local-spark: {step}: {:.2} s", took.as_secs_f64());
    }
}

#[test]
fn cluster_job_drift_repair_destroy() {
    if !can_make_hosts("the local Spark test") {
        return;
    }
    install_components();
    let workspace = Workspace::new();
    let dir = workspace.dir();
    let mut timings = Vec::new();

    // The plan already knows every service the cluster will run.
    let plan = flat(&expect(dir, &["plan"], 0));
    for expected in [
        "\"analytics-master-0/zookeeper-server\" = \"running\"",
        "\"analytics-master-0/spark-master\" = \"running\"",
        "\"analytics-master-0/spark-history-server\" = \"running\"",
        "\"analytics-core-1/spark-worker\" = \"running\"",
        "Plan: 2 to add, 0 to change, 0 to destroy.",
    ] {
        assert!(plan.contains(expected), "{expected:?} in:\n{plan}");
    }

    let started = Instant::now();
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("cold apply (cluster and pi job)", started.elapsed()));
    for expected in [
        "hosts ready (3/3)",
        "zookeeper-server healthy on 1/1",
        "spark-master healthy on 1/1",
        "spark-history-server healthy on 1/1",
        "workers ALIVE 2/2",
        "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.",
    ] {
        assert!(apply.contains(expected), "{expected:?} in:\n{apply}");
    }
    let outputs: Json = serde_json::from_str(&expect(dir, &["output", "--json"], 0)).unwrap();
    let cluster = &outputs["cluster"]["value"];
    assert!(outputs["pi"]["value"].as_str().unwrap().contains("Pi is roughly 3.1"), "{outputs}");
    let id = cluster["id"].as_str().unwrap().to_string();
    let network = format!("emr-{id}");
    let hosts = cluster["hosts"].as_array().unwrap().clone();
    let host = |name: &str| hosts.iter().find(|host| host["name"] == name).unwrap_or_else(|| panic!("{name}"));
    let master = host("analytics-master-0");
    let master_ip = master["ip"].as_str().unwrap();
    assert_eq!(cluster["master_url"], format!("spark://{master_ip}:7077"));

    assert_eq!(ruok(cluster["zookeeper"].as_str().unwrap()), "imok");
    let status = master_json(master_ip);
    assert_eq!(status["status"], "ALIVE", "{status}");
    for core in ["analytics-core-0", "analytics-core-1"] {
        let ip = host(core)["ip"].as_str().unwrap();
        assert!(worker_alive(&status, ip, None).is_some(), "no ALIVE worker on {core} ({ip}): {status}");
    }
    // The job's event log is in the cluster's shared directory, where the history server
    // finds it (it scans every 10 s).
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut applications = String::new();
    while !applications.contains("PythonPi") && Instant::now() < deadline {
        applications = http_get(master_ip, 18080, "/api/v1/applications");
        std::thread::sleep(Duration::from_millis(500));
    }
    assert!(applications.contains("PythonPi"), "the history server lists the pi job: {applications}");

    // pyspark's own example, submitted on the master over SSH.
    let ssh = HostSpec {
        name: "analytics-master-0".into(),
        address: master_ip.into(),
        port: 22,
        user: "root".into(),
        private_key: PathBuf::from(cluster["key"].as_str().unwrap()),
        host_key: master["ssh_host_key_fingerprint"].as_str().unwrap().parse().unwrap(),
    };
    let options = ConnectOptions { deadline: Duration::from_secs(30), ..ConnectOptions::default() };
    let mut connection = connect(&ssh, &options).unwrap_or_else(|error| panic!("{error}"));
    let started = Instant::now();
    let submit = connection
        .run_checked(
            "/opt/strata/bin/spark-submit /opt/strata/spark/examples/src/main/python/pi.py 4",
            &ExecOptions::with_timeout(Duration::from_secs(300)),
        )
        .unwrap_or_else(|error| panic!("{error}"));
    timings.push(("spark-submit pi.py over SSH", started.elapsed()));
    assert!(submit.stdout_text().contains("Pi is roughly 3.1"), "{}", submit.stdout_text());
    drop(connection);

    let started = Instant::now();
    expect(dir, &["plan", "--detailed-exitcode"], 0);
    timings.push(("no-op plan (refresh over SSH)", started.elapsed()));

    // Kill core-0's worker from outside the cluster.
    let victim = host("analytics-core-0");
    let victim_ip = victim["ip"].as_str().unwrap();
    let old_worker = worker_alive(&status, victim_ip, None).unwrap();
    let netns = strata_provider_local::netns_name(&network, victim["id"].as_str().unwrap());
    let java: Vec<u32> =
        netns_processes(&netns).into_iter().filter(|(_, comm, _)| comm == "java").map(|(pid, _, _)| pid).collect();
    assert_eq!(java.len(), 1, "one JVM (the worker) on core-0: {java:?}");
    command_output("kill", &["-KILL", &java[0].to_string()]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while running_since(java[0]).is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(running_since(java[0]).is_none(), "the worker survived SIGKILL");

    let started = Instant::now();
    let drift = flat(&expect(dir, &["plan", "--detailed-exitcode"], 2));
    timings.push(("drift plan after a killed worker", started.elapsed()));
    for expected in [
        "Objects changed outside Strata",
        "# emr_cluster.analytics has changed",
        "\"analytics-core-0/spark-worker\" = \"stopped\"",
        "~ status = \"RUNNING\" -> \"DEGRADED\"",
        "# emr_cluster.analytics will be updated in-place",
        "Plan: 0 to add, 1 to change, 0 to destroy.",
    ] {
        assert!(drift.contains(expected), "{expected:?} in:\n{drift}");
    }

    let started = Instant::now();
    let repair = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("repair apply", started.elapsed()));
    for expected in ["spark-worker started on 1/2", "workers ALIVE 2/2", "Resources: 0 added, 1 changed, 0 destroyed."]
    {
        assert!(repair.contains(expected), "{expected:?} in:\n{repair}");
    }
    assert!(
        worker_alive(&master_json(master_ip), victim_ip, Some(&old_worker)).is_some(),
        "core-0 has a new ALIVE worker"
    );
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    // Destroy leaves nothing of the cluster on the machine.
    let namespaces: Vec<String> =
        hosts.iter().map(|host| strata_provider_local::netns_name(&network, host["id"].as_str().unwrap())).collect();
    let processes: Vec<(u32, u64)> =
        namespaces.iter().flat_map(|netns| netns_processes(netns)).map(|(pid, _, since)| (pid, since)).collect();
    assert!(processes.len() >= 10, "sshd, its launcher and the daemons of each host: {processes:?}");
    let ids: Vec<String> = hosts.iter().map(|host| host["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(launchers_of(&ids).len(), 5, "zookeeper, master, history server and two workers have launchers");
    let started = Instant::now();
    let destroy = expect(dir, &["destroy", "--auto-approve"], 0);
    timings.push(("destroy", started.elapsed()));
    assert!(destroy.contains("Resources: 0 added, 0 changed, 2 destroyed."), "{destroy}");
    let listed = command_output("ip", &["netns", "list"]);
    assert!(!listed.contains(&format!("strata.{network}.")), "namespaces left:\n{listed}");
    let links = command_output("ip", &["-o", "link"]);
    let mut ours: Vec<String> = ids.iter().map(|id| strata_provider_local::veth_name(&network, id)).collect();
    ours.push(strata_provider_local::bridge_name(&network));
    let left: Vec<&String> = ours.iter().filter(|name| links.contains(&format!(" {name}:"))).collect();
    assert!(left.is_empty(), "links left: {left:?}");
    for (pid, since) in processes {
        assert_ne!(running_since(pid), Some(since), "process {pid} of a destroyed host still runs");
    }
    let state = workspace.state_dir.to_string_lossy().into_owned();
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap();
    assert!(!mounts.contains(&state), "mounts left under {state}:\n{mounts}");
    assert!(launchers_of(&ids).is_empty(), "launchers left: {:?}", launchers_of(&ids));
    let host_dirs: Vec<_> = std::fs::read_dir(workspace.state_dir.join("hosts")).unwrap().collect();
    assert!(host_dirs.is_empty(), "host directories left: {host_dirs:?}");
    assert!(!workspace.state_dir.join(format!("emr/clusters/{id}.json")).exists(), "the cluster record is left");
    assert!(!workspace.state_dir.join(format!("networks/{network}")).exists(), "the network's directory is left");
    assert!(!workspace.shared_root.join(&id).exists(), "the cluster's shared directory is left");
    report(&timings);
}
