//! `isolation = "container"` end to end, through the real `strata` binary and the real plugin
//! `strata-provider-local` (root; skipped elsewhere, required under CI):
//! `testdata/local-provider/containers/main.hcl` (two container hosts and a namespace host in
//! one network) → the plan shows each host's isolation → apply (the first container host on a
//! machine builds the cached base root file system first) → log in to every host with the
//! deployer (`strata-deploy`, host keys checked against the fingerprints in the outputs): the
//! container hosts run Debian bookworm with a root file system of their own (a file written
//! under `/usr` in one is seen neither by the other, nor by the namespace host, nor by the
//! machine) and every host reaches the others by name → a refresh finds them all running →
//! changing the namespace host's isolation replaces it with a container host → destroy →
//! nothing left (namespaces, processes, mounts in any mount namespace, nspawn's runtime
//! directories, host directories). A guard destroys and collects everything when the test
//! fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;
use strata_deploy::{ConnectOptions, ExecOptions, HostSpec, connect};

mod support;
use support::{can_make_hosts, plugin, strata};

fn fixture() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/local-provider/containers/main.hcl");
    std::fs::read_to_string(path).unwrap()
}

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

/// Runs `strata ARGS`, failing unless it exits with `code`; returns stdout and stderr together,
/// whitespace runs as one space.
fn expect(dir: &Path, args: &[&str], code: i32) -> String {
    let output = run(dir, args);
    let (stdout, stderr) =
        (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned());
    assert_eq!(output.status.code(), Some(code), "strata {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    (stdout + &stderr).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn command_output(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|error| panic!("{program}: {error}"));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A working directory and a state directory of this test's own; dropped (passed or failed),
/// it destroys what the state knows, collects whatever is left and removes the directories.
struct Workspace {
    work: tempfile::TempDir,
    state_dir: PathBuf,
    subnet: String,
}

impl Workspace {
    fn new() -> Workspace {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let state_dir = PathBuf::from(format!("/var/lib/strata/test-containers-{}-{nanos}", std::process::id()));
        let workspace = Workspace { work: tempfile::tempdir().unwrap(), state_dir, subnet: free_subnet() };
        workspace.configure("namespace");
        workspace
    }

    /// Writes the configuration with the namespace host's `isolation`.
    fn configure(&self, isolation: &str) {
        let source = fixture()
            .replace("@SUBNET@", &self.subnet)
            .replace("@STATE_DIR@", &self.state_dir.to_string_lossy())
            .replace("@ISOLATION@", isolation);
        std::fs::write(self.work.path().join("main.hcl"), source).unwrap();
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

/// `10.208.X.0/24` for the first X (from this process's id on) no route or address uses.
fn free_subnet() -> String {
    let routes = command_output("ip", &["-4", "route", "show", "table", "all"]);
    let addresses = command_output("ip", &["-4", "address", "show"]);
    let start = std::process::id() % 250;
    (0..250)
        .map(|offset| (start + offset) % 250)
        .map(|third| format!("10.208.{third}."))
        .find(|prefix| !routes.contains(prefix.as_str()) && !addresses.contains(prefix.as_str()))
        .map(|prefix| format!("{prefix}0/24"))
        .expect("a free 10.208.X.0/24")
}

/// One host of the `hosts` output.
#[derive(Clone, Debug, PartialEq)]
struct Host {
    id: String,
    hostname: String,
    isolation: String,
    ip: String,
    fingerprint: String,
    user: String,
    port: u16,
    key: PathBuf,
    network: String,
    status: String,
}

impl Host {
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

    /// Runs `command` on the host over SSH (host key checked); returns its standard output.
    fn run(&self, command: &str) -> String {
        let options = ConnectOptions { deadline: Duration::from_secs(30), ..ConnectOptions::default() };
        let mut connection = connect(&self.ssh(), &options).unwrap_or_else(|error| panic!("{error}"));
        let output = connection
            .run_checked(command, &ExecOptions::with_timeout(Duration::from_secs(30)))
            .unwrap_or_else(|error| panic!("{} on {}: {error}", command, self.hostname));
        output.stdout_text().into_owned()
    }
}

fn hosts(dir: &Path) -> Vec<Host> {
    let output = run(dir, &["output", "--json", "hosts"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Json = serde_json::from_slice(&output.stdout).unwrap();
    let field = |json: &Json, name: &str| json[name].as_str().unwrap_or_else(|| panic!("{name} in {json}")).to_string();
    json.as_array()
        .expect("a list of hosts")
        .iter()
        .map(|json| Host {
            id: field(json, "id"),
            hostname: field(json, "hostname"),
            isolation: field(json, "isolation"),
            ip: field(json, "ip"),
            fingerprint: field(json, "fingerprint"),
            user: field(json, "user"),
            port: json["port"].as_u64().expect("port") as u16,
            key: PathBuf::from(field(json, "key")),
            network: field(json, "network"),
            status: field(json, "status"),
        })
        .collect()
}

#[test]
#[allow(clippy::print_stderr)] // the apply time (with or without the base build) is part of the report
fn container_hosts_apply_private_roots_reach_replace_destroy() {
    if !can_make_hosts("the local host tests") {
        return;
    }
    let workspace = Workspace::new();
    let dir = workspace.dir();

    let plan = expect(dir, &["plan"], 0);
    for (expected, count) in [("+ isolation = \"container\"", 2), ("+ isolation = \"namespace\"", 1)] {
        assert_eq!(plan.matches(expected).count(), count, "{expected:?} in:\n{plan}");
    }
    let started = Instant::now();
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    eprintln!("strata apply of 2 container hosts and 1 namespace host: {:.2?}", started.elapsed());
    assert!(apply.contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."), "{apply}");
    let created = hosts(dir);
    let isolations: Vec<&str> = created.iter().map(|host| host.isolation.as_str()).collect();
    assert_eq!(isolations, ["container", "container", "namespace"]);
    assert!(created.iter().all(|host| host.status == "running"), "{created:?}");
    let (box0, box1, plain) = (&created[0], &created[1], &created[2]);

    for host in [box0, box1] {
        let inside = host.run(". /etc/os-release; echo $VERSION_CODENAME; hostname; cat /proc/1/comm");
        assert_eq!(inside, format!("bookworm\n{}\n(sd-stubinit)\n", host.hostname));
    }
    box0.run("echo mine > /usr/local/strata-e2e-private");
    assert_eq!(box0.run("cat /usr/local/strata-e2e-private"), "mine\n");
    for other in [box1, plain] {
        let seen = other.run("test -e /usr/local/strata-e2e-private && echo seen || echo absent");
        assert_eq!(seen, "absent\n", "on {}", other.hostname);
    }
    assert!(!Path::new("/usr/local/strata-e2e-private").exists(), "a container wrote to the machine's /usr");

    for (from, to) in [(box0, box1), (box1, plain), (plain, box0)] {
        let command =
            format!("getent hosts {0} | cut -d' ' -f1; bash -c 'exec 3<>/dev/tcp/{0}/22; head -c 7 <&3'", to.hostname);
        assert_eq!(from.run(&command), format!("{}\nSSH-2.0", to.ip), "{} reaching {}", from.hostname, to.hostname);
    }

    // A refresh finds every host running, with the host key the state records.
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    // Isolation forces replacement: the namespace host becomes a container host.
    workspace.configure("container");
    let replace = expect(dir, &["plan"], 0);
    for expected in [
        "# local_host.plain must be replaced",
        "~ isolation = \"namespace\" -> \"container\" # forces replacement",
        "Plan: 1 to add, 0 to change, 1 to destroy.",
    ] {
        assert!(replace.contains(expected), "{expected:?} in:\n{replace}");
    }
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    assert!(apply.contains("Resources: 1 added, 0 changed, 1 destroyed."), "{apply}");
    let replaced = hosts(dir);
    assert_eq!(replaced[..2], created[..2], "the container hosts are untouched");
    let plain = &replaced[2];
    assert_eq!((plain.isolation.as_str(), plain.hostname.as_str()), ("container", "plain"));
    assert_ne!(plain.id, created[2].id);
    assert_eq!(plain.run(". /etc/os-release; echo $VERSION_CODENAME"), "bookworm\n");
    assert_eq!(plain.run("getent hosts box-0 | cut -d' ' -f1"), format!("{}\n", box0.ip));
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    let destroy = expect(dir, &["destroy", "--auto-approve"], 0);
    assert!(destroy.contains("Resources: 0 added, 0 changed, 3 destroyed."), "{destroy}");
    let network = &box0.network;
    let namespaces = command_output("ip", &["netns", "list"]);
    assert!(!namespaces.contains(&format!("strata.{network}.")), "namespaces left:\n{namespaces}");
    let state = workspace.state_dir.to_string_lossy().into_owned();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        assert!(!String::from_utf8_lossy(&cmdline).contains(&state), "{} still runs", entry.path().display());
        let mountinfo = std::fs::read_to_string(entry.path().join("mountinfo")).unwrap_or_default();
        assert!(!mountinfo.contains(&state), "{} still mounts under {state}", entry.path().display());
    }
    for host in created.iter().chain(&replaced) {
        let machine = strata_provider_local::machine_name(network, &host.id);
        assert!(!Path::new("/run/systemd/nspawn/propagate").join(&machine).exists(), "{machine} left");
    }
    let host_dirs: Vec<_> = std::fs::read_dir(workspace.state_dir.join("hosts")).unwrap().collect();
    assert!(host_dirs.is_empty(), "host directories left: {host_dirs:?}");
    assert!(!Path::new("/sys/class/net").join(strata_provider_local::bridge_name(network)).exists());
}
