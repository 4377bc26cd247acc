//! The `local` provider end to end, through the real `strata` binary and the real plugin
//! `strata-provider-local`:
//!
//! - `five_hosts_deploy_drift_repair_gc_destroy` (root; skipped elsewhere, required under CI):
//!   `testdata/local-provider/five-hosts/main.hcl` on a subnet and state directory of its own
//!   → apply → SSH into every host with the deployer (`strata-deploy`, host keys checked
//!   against the fingerprints in the outputs), upload a file, reach one host from another by
//!   name → kill a host's sshd from outside → `plan --detailed-exitcode` exits 2, showing the
//!   host changed outside Strata and replaced → apply repairs it → `state rm` + `strata local
//!   gc` removes the forgotten host → destroy → nothing left (namespaces, links, processes,
//!   mounts, host directories). A guard destroys and collects everything when the test fails.
//! - `refusals`: every `testdata/local-provider/refusals/*.hcl` is planned and must fail with
//!   the errors its `# EXPECT-STDERR:` lines name (no root needed: nothing is made).

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;
use strata_deploy::{ConnectOptions, Deployer, ExecOptions, FileContent, HostSpec, Mode, connect};

mod support;
use support::{can_make_hosts, plugin, strata};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/local-provider")
}

/// Runs `strata ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    plugin("local");
    Command::new(strata())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("running strata")
}

/// Runs of whitespace as one space, so expectations do not depend on alignment.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Runs `strata ARGS`, failing the test unless it exits with `code`; returns stdout and
/// stderr, in that order.
fn expect(dir: &Path, args: &[&str], code: i32) -> String {
    let (stdout, stderr) = expect_output(dir, args, code);
    stdout + &stderr
}

fn expect_output(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    let output = run(dir, args);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(code), "strata {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    (stdout, stderr)
}

#[test]
fn refusals() {
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(testdata().join("refusals"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "hcl"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let work = tempfile::tempdir().unwrap();
        std::fs::write(work.path().join("main.hcl"), &source).unwrap();
        let output = run(work.path(), &["plan"]);
        let (stdout, stderr) = text(&output);
        if output.status.code() != Some(1) {
            failures.push(format!("{name}: exit {:?}\n{stdout}{stderr}", output.status.code()));
        }
        let stderr_flat = flat(&stderr);
        for expected in source.lines().filter_map(|line| line.strip_prefix("# EXPECT-STDERR: ")) {
            if !stderr_flat.contains(expected) {
                failures.push(format!("{name}: stderr lacks {expected:?}:\n{stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// One host as the configuration's `hosts` output describes it.
#[derive(Clone, Debug, PartialEq)]
struct Host {
    id: String,
    hostname: String,
    ip: String,
    fingerprint: String,
    user: String,
    port: u16,
    key: PathBuf,
    network: String,
    status: String,
}

impl Host {
    fn from_json(json: &Json) -> Host {
        let field = |name: &str| json[name].as_str().unwrap_or_else(|| panic!("{name} in {json}")).to_string();
        Host {
            id: field("id"),
            hostname: field("hostname"),
            ip: field("ip"),
            fingerprint: field("fingerprint"),
            user: field("user"),
            port: json["port"].as_u64().expect("port") as u16,
            key: PathBuf::from(field("key")),
            network: field("network"),
            status: field("status"),
        }
    }

    fn ssh(&self) -> HostSpec {
        HostSpec {
            name: self.hostname.clone(),
            address: self.ip.clone(),
            port: self.port,
            user: self.user.clone(),
            private_key: self.key.clone(),
            host_key: self.fingerprint.parse().unwrap_or_else(|error| panic!("{}: {error}", self.fingerprint)),
        }
    }

    fn netns(&self) -> String {
        strata_provider_local::netns_name(&self.network, &self.id)
    }
}

fn hosts(dir: &Path) -> Vec<Host> {
    let json: Json = serde_json::from_str(&expect_output(dir, &["output", "--json", "hosts"], 0).0).unwrap();
    json.as_array().expect("a list of hosts").iter().map(Host::from_json).collect()
}

fn options() -> ConnectOptions {
    ConnectOptions { deadline: Duration::from_secs(30), ..ConnectOptions::default() }
}

fn quick() -> ExecOptions {
    ExecOptions::with_timeout(Duration::from_secs(30))
}

/// A working directory and a state directory of this test's own. Dropped (test passed or
/// failed), it destroys what the state knows, removes every host of the state directory
/// (whatever a failure left) and the directories.
struct Workspace {
    work: tempfile::TempDir,
    state_dir: PathBuf,
}

impl Workspace {
    fn new(fixture: &str) -> Workspace {
        sweep_dead_runs();
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let state_dir = PathBuf::from(format!("/var/lib/strata/test-cli-{}-{nanos}", std::process::id()));
        let source = std::fs::read_to_string(testdata().join(fixture).join("main.hcl"))
            .unwrap()
            .replace("@SUBNET@", &free_subnet())
            .replace("@STATE_DIR@", &state_dir.to_string_lossy());
        let work = tempfile::tempdir().unwrap();
        std::fs::write(work.path().join("main.hcl"), source).unwrap();
        Workspace { work, state_dir }
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
        let collected = strata_provider_local::gc(&self.state_dir, &[]);
        let _ = std::fs::remove_dir_all(&self.state_dir);
        if let Err(error) = collected
            && !std::thread::panicking()
        {
            panic!("cleaning up {}: {error}", self.state_dir.display());
        }
    }
}

/// Removes the hosts and state directories of earlier runs of this test whose process is
/// gone (killed before its guard could run), so they never pile up on a CI machine.
fn sweep_dead_runs() {
    let Ok(entries) = std::fs::read_dir("/var/lib/strata") else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("test-cli-").and_then(|rest| rest.split('-').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = strata_provider_local::gc(entry.path(), &[]);
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `10.205.X.0/24` for the first X (from this process's id on) no route or address of the
/// machine touches; other tests use other second octets.
fn free_subnet() -> String {
    let routes = command_output("ip", &["-4", "route", "show", "table", "all"]);
    let addresses = command_output("ip", &["-4", "address", "show"]);
    let start = std::process::id() % 250;
    (0..250)
        .map(|offset| (start + offset) % 250)
        .map(|third| format!("10.205.{third}."))
        .find(|prefix| !routes.contains(prefix.as_str()) && !addresses.contains(prefix.as_str()))
        .map(|prefix| format!("{prefix}0/24"))
        .expect("a free 10.205.X.0/24")
}

fn command_output(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|error| panic!("{program}: {error}"));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn accepting(host: &Host) -> bool {
    let address: SocketAddr = format!("{}:{}", host.ip, host.port).parse().unwrap();
    TcpStream::connect_timeout(&address, Duration::from_millis(300)).is_ok()
}

/// The pids in the host's network namespace, with their command names.
fn netns_processes(netns: &str) -> Vec<(u32, String)> {
    command_output("ip", &["netns", "pids", netns])
        .split_whitespace()
        .filter_map(|pid| pid.parse::<u32>().ok())
        .map(|pid| (pid, std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_string()))
        .collect()
}

/// A process's start time (field 22 of its stat) unless it is gone or a zombie.
fn running_since(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    (!matches!(fields.first(), Some(&"Z" | &"X"))).then(|| fields.get(19)?.parse().ok())?
}

/// Uploads a file to every host through the deployer's fan-out and reads it back with the
/// host's name; the file is in the host's own `/tmp`, not the machine's.
fn upload_to_all(hosts: &[Host]) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let deployer = Deployer::new(options(), 5);
    let specs: Vec<HostSpec> = hosts.iter().map(Host::ssh).collect();
    let outcomes = runtime.block_on(deployer.fan_out(
        &specs,
        |connection| {
            let name = connection.host().name.clone();
            connection.upload(&FileContent::text(format!("hello {name}\n")), "/tmp/strata-e2e.txt", Mode::FILE)?;
            let output = connection.run_checked("cat /tmp/strata-e2e.txt; hostname", &quick())?;
            Ok(output.stdout_text().into_owned())
        },
        |_| {},
    ));
    for (host, outcome) in hosts.iter().zip(outcomes) {
        let stdout = outcome.result.unwrap_or_else(|error| panic!("{}: {error}", host.hostname));
        assert_eq!(stdout, format!("hello {0}\n{0}\n", host.hostname));
    }
    assert!(!Path::new("/tmp/strata-e2e.txt").exists(), "a host wrote to the machine's /tmp");
}

/// From `from`, resolves `to` by name and reads its sshd's banner.
fn reach_by_name(from: &Host, to: &Host) {
    let mut connection = connect(&from.ssh(), &options()).unwrap_or_else(|error| panic!("{error}"));
    let command =
        format!("getent hosts {0} | cut -d' ' -f1; bash -c 'exec 3<>/dev/tcp/{0}/22; head -c 7 <&3'", to.hostname);
    let output = connection.run_checked(&command, &quick()).unwrap();
    assert_eq!(output.stdout_text(), format!("{}\nSSH-2.0", to.ip), "{} reaching {}", from.hostname, to.hostname);
}

#[test]
fn five_hosts_deploy_drift_repair_gc_destroy() {
    if !can_make_hosts("the local host tests") {
        return;
    }
    let workspace = Workspace::new("five-hosts");
    let dir = workspace.dir();

    // The plan shows each host's size before anything exists.
    let plan = flat(&expect(dir, &["plan"], 0));
    for (expected, count) in [
        ("+ instance_type = \"local.c1m1\"", 5),
        ("+ memory_mib = 1024", 5),
        ("+ instance_type = \"local.c1m2\"", 1),
        ("+ memory_mib = 2048", 1),
        ("+ vcpus = 1", 6),
        ("+ id = (known after apply)", 6),
    ] {
        assert_eq!(plan.matches(expected).count(), count, "{expected:?} in:\n{plan}");
    }
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    assert!(apply.contains("Apply complete! Resources: 6 added, 0 changed, 0 destroyed."), "{apply}");
    let created = hosts(dir);
    // A host with every default: named after its id, of the default size.
    let plain: Json = serde_json::from_str(&expect_output(dir, &["output", "--json", "plain"], 0).0).unwrap();
    assert_eq!(plain["hostname"], plain["id"], "{plain}");
    assert_eq!((plain["instance_type"].as_str(), plain["memory_mib"].as_u64()), (Some("local.c1m2"), Some(2048)));
    let plain_id = plain["id"].as_str().unwrap().to_string();
    assert_eq!(created.len(), 5);
    for (index, host) in created.iter().enumerate() {
        assert_eq!(host.hostname, format!("node-{index}"));
        assert_eq!((host.user.as_str(), host.port, host.status.as_str()), ("root", 22, "running"));
        assert!(host.key.starts_with(&workspace.state_dir), "{}", host.key.display());
    }
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    upload_to_all(&created);
    reach_by_name(&created[0], &created[1]);
    reach_by_name(&created[4], &created[0]);

    // Kill node-2's init (its sshd, PID 1 of its PID namespace) from outside.
    let victim = &created[2];
    let processes = netns_processes(&victim.netns());
    let init = processes
        .iter()
        .find(|(pid, comm)| {
            let parent = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let parent: u32 =
                parent.rsplit(") ").next().and_then(|rest| rest.split(' ').nth(1)?.parse().ok()).unwrap_or(0);
            comm == "sshd" && !processes.iter().any(|(other, comm)| *other == parent && comm == "sshd")
        })
        .unwrap_or_else(|| panic!("no init among {processes:?}"))
        .0;
    command_output("kill", &["-KILL", &init.to_string()]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while accepting(victim) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!accepting(victim), "node-2 still accepts connections");

    let drift = flat(&expect(dir, &["plan", "--detailed-exitcode"], 2));
    for expected in [
        "Objects changed outside Strata",
        "# local_host.node[2] has changed",
        "~ status = \"running\" -> \"broken: its init (sshd) is not running\"",
        "# local_host.node[2] must be replaced",
        "Plan: 1 to add, 0 to change, 1 to destroy.",
    ] {
        assert!(drift.contains(expected), "{expected:?} in:\n{drift}");
    }

    let repair = expect(dir, &["apply", "--auto-approve"], 0);
    assert!(repair.contains("Apply complete! Resources: 1 added, 0 changed, 1 destroyed."), "{repair}");
    let repaired = hosts(dir);
    for (index, (before, after)) in created.iter().zip(&repaired).enumerate() {
        if index == 2 {
            assert_ne!(before.id, after.id, "node-2 is a new host");
            assert_ne!(before.fingerprint, after.fingerprint, "with a new host key");
        } else {
            assert_eq!(before, after, "node-{index} is untouched");
        }
    }
    upload_to_all(&repaired);
    reach_by_name(&repaired[0], &repaired[2]);
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    // A host the state forgets is collected by `strata local gc`; the others stay.
    let forgotten = &repaired[4];
    expect(dir, &["state", "rm", "local_host.node[4]"], 0);
    let gc = expect(dir, &["local", "gc"], 0);
    assert!(gc.contains(&format!("host {} ({})", forgotten.id, forgotten.netns())), "{gc}");
    assert!(!command_output("ip", &["netns", "list"]).contains(&forgotten.netns()));
    assert!(!workspace.state_dir.join("hosts").join(&forgotten.id).exists());
    assert!(expect(dir, &["local", "gc"], 0).starts_with("Nothing to remove"));
    reach_by_name(&repaired[3], &repaired[1]);

    // Destroy leaves nothing of the network on the machine.
    let network = &repaired[0].network;
    let mut namespaces: Vec<String> = repaired[..4].iter().map(Host::netns).collect();
    namespaces.push(strata_provider_local::netns_name(network, &plain_id));
    let processes: Vec<(u32, u64)> = namespaces
        .iter()
        .flat_map(|netns| netns_processes(netns))
        .filter_map(|(pid, _)| Some((pid, running_since(pid)?)))
        .collect();
    assert!(processes.len() >= 10, "each host has its launcher and its sshd: {processes:?}");
    let destroy = expect(dir, &["destroy", "--auto-approve"], 0);
    assert!(destroy.contains("Resources: 0 added, 0 changed, 5 destroyed."), "{destroy}");
    let namespaces = command_output("ip", &["netns", "list"]);
    assert!(!namespaces.contains(&format!("strata.{network}.")), "namespaces left:\n{namespaces}");
    let links: Json = serde_json::from_str(&command_output("ip", &["-j", "link"])).unwrap();
    let mut ours: Vec<String> =
        created.iter().chain(&repaired).map(|host| strata_provider_local::veth_name(network, &host.id)).collect();
    ours.push(strata_provider_local::veth_name(network, &plain_id));
    ours.push(strata_provider_local::bridge_name(network));
    let left: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|link| link["ifname"].as_str())
        .filter(|name| ours.iter().any(|our| our == name))
        .collect();
    assert!(left.is_empty(), "links left: {left:?}");
    for (pid, since) in processes {
        assert_ne!(running_since(pid), Some(since), "process {pid} of a destroyed host still runs");
    }
    let state = workspace.state_dir.to_string_lossy().into_owned();
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap();
    assert!(!mounts.contains(&state), "mounts left under {state}:\n{mounts}");
    let host_dirs: Vec<_> = std::fs::read_dir(workspace.state_dir.join("hosts")).unwrap().collect();
    assert!(host_dirs.is_empty(), "host directories left: {host_dirs:?}");
    expect(dir, &["plan", "--detailed-exitcode"], 2);
}
