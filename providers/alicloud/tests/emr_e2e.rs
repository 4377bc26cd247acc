//! `examples/alicloud-spark` for real, against the emulator with real hosts, the way a user
//! on ECS applies it: the real `strata` binary with the plugins `strata-provider-alicloud` and
//! `strata-provider-emr` applies the example (VPC, vSwitch, security group, key pair, an
//! `alicloud_emr_cluster` of one master and two core instances, the pi job) with
//! `--var image_id=debian_12_9_...` and `--var artifact_mirror=...` against an in-process
//! emulator whose instances are container hosts (`EmulatorConfig::real_hosts`; a root file
//! system of their own, nothing of the release): every instance downloads the release's
//! artifacts from a mirror on the vSwitch's gateway (the component cache's `artifacts/`,
//! served by Python's HTTP server) and installs them. Over SSH, the master has ZooKeeper's
//! package and the Spark marker in its own root, and so does a core; ZooKeeper answers
//! `ruok`, the Spark master lists both workers ALIVE, the job prints "Pi is roughly 3.1"; the
//! next plan has no changes; day 2 (scale out, whose new node is delivered to, a
//! configuration change, a lost instance launched and delivered to again, scale in); destroy
//! empties the emulator's inventory and leaves no host, namespace, launcher or record.
//!
//! Root only: skipped elsewhere, refused under CI (`CI` set) when not root. `strata` and the
//! emr plugin are built (`target/debug/`) when missing; the release's components are installed
//! with `.ci/install-components.sh` when missing. Every wait is bounded; a guard destroys and
//! collects everything when the test fails.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod common;

use common::hosts::{Mirror, ruok, ssh};

use serde_json::Value as Json;
use std::collections::BTreeMap;
use strata_provider_alicloud::api::instances as api;
use strata_provider_alicloud::client::{Client, ClientConfig, RetryPolicy};
use strata_provider_alicloud::credentials::Credentials;
use strata_provider_alicloud::emulator::hosts::{HostPhase, network_name};
use strata_provider_alicloud::emulator::{
    Emulator, EmulatorConfig, Inventory, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET,
};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether this process may make hosts (root); refused under CI when it may not.
fn can_make_hosts() -> bool {
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("Uid:")).map(str::to_string))
        .is_some_and(|line| line.split_whitespace().nth(2) == Some("0"));
    assert!(root || std::env::var_os("CI").is_none(), "the alicloud Spark test must run as root under CI");
    if !root {
        let _ = std::io::stderr().write_all(b"SKIPPED: the alicloud Spark test makes hosts and needs root\n");
    }
    root
}

/// Runs a command to the end within `limit`: exit code and stdout + stderr.
fn bounded(command: &mut std::process::Command, limit: Duration) -> (Option<i32>, String) {
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
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
    (status.code(), out.join().unwrap() + &err.join().unwrap())
}

/// `target/debug/strata` and `strata-provider-emr` next to it, built when missing.
fn binaries() -> (PathBuf, PathBuf) {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
    let (strata, emr) = (dir.join("strata"), dir.join("strata-provider-emr"));
    if !strata.exists() || !emr.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = std::process::Command::new(cargo);
        build.args(["build", "-q", "-p", "strata-cli", "-p", "strata-provider-emr"]).current_dir(repository());
        let (code, output) = bounded(&mut build, Duration::from_secs(1800));
        assert_eq!(code, Some(0), "building strata and the emr plugin: {output}");
    }
    (strata, emr)
}

/// `10.211.X.0/24` for the first X no route or address of this machine touches.
fn free_subnet() -> (String, String) {
    let routes = bounded(std::process::Command::new("ip").args(["-4", "route", "show", "table", "all"]), SECOND * 30).1;
    let addresses = bounded(std::process::Command::new("ip").args(["-4", "address", "show"]), SECOND * 30).1;
    let start = std::process::id() % 250;
    let third = (0..250)
        .map(|offset| (start + offset) % 250)
        .find(|third| {
            let prefix = format!("10.211.{third}.");
            !routes.contains(&prefix) && !addresses.contains(&prefix)
        })
        .expect("a free 10.211.X.0/24");
    ("10.211.0.0/16".into(), format!("10.211.{third}.0/24"))
}

const SECOND: Duration = Duration::from_secs(1);

/// The emulator's image whose instances have a root file system of their own (container
/// hosts): the release is delivered from `artifact_mirror`, as on ECS.
const IMAGE: &str = "debian_12_9_x64_20G_alibase_20250117.vhd";
/// The component cache, on this machine and on every instance.
const CACHE: &str = "/var/cache/strata/components";

/// `mirror`: every artifact file of this machine's component cache, flat (links), as
/// `artifact_mirror` serves them.
fn mirror_files(mirror: &Path) {
    std::fs::create_dir_all(mirror).unwrap();
    for component in std::fs::read_dir(Path::new(CACHE).join("artifacts")).unwrap().flatten() {
        for file in std::fs::read_dir(component.path()).unwrap().flatten() {
            if !file.file_name().to_string_lossy().starts_with('.') {
                std::os::unix::fs::symlink(file.path(), mirror.join(file.file_name())).unwrap();
            }
        }
    }
}

/// `command` on `ip` over SSH with the example's key, which must succeed: its output.
fn on(key: &Path, ip: &str, command: &str) -> String {
    let (code, text) = ssh(key, ip, command, 120);
    assert_eq!(code, 0, "{command} on {ip}:\n{text}");
    text
}

/// The release was delivered into `ip`'s own root: the Spark marker and pyspark there (and
/// ZooKeeper's package on a master), none of it taken from this machine's root.
fn assert_delivered(key: &Path, ip: &str, master: bool) {
    on(key, ip, &format!("test -f {CACHE}/artifacts/spark/.strata-installed"));
    on(key, ip, &format!("test -x {CACHE}/pyspark-4.3.0/pyspark/bin/spark-class"));
    if master {
        let zookeeper = on(key, ip, "dpkg -s zookeeper");
        assert!(zookeeper.contains("Status: install ok installed"), "ZooKeeper installed on {ip}:\n{zookeeper}");
    }
    assert!(
        !Path::new(CACHE).join("artifacts/spark/.strata-installed").exists(),
        "the marker is in the instance's root, not this machine's"
    );
}

/// What the test made, removed when it is dropped (passed or failed): the state through
/// `strata destroy`, then the emulator (its host thread destroys every network it made), then
/// whatever is left under the state directories, the launchers of its instances and the
/// cluster's shared directory.
struct Guard {
    work: tempfile::TempDir,
    strata: PathBuf,
    hosts_dir: PathBuf,
    emr_dir: PathBuf,
    emulator: Option<Emulator>,
    instances: Vec<String>,
    cluster: Option<String>,
    /// `--var` arguments of every command (the image and the mirror).
    vars: Vec<String>,
    /// The artifact mirror, ended after the destroy.
    mirror: Option<Mirror>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.work.path().join("strata.state.json").exists() && std::thread::panicking() {
            let _ = bounded(
                strata_command(&self.strata, self.work.path(), &["destroy", "--auto-approve"]).args(&self.vars),
                SECOND * 300,
            );
        }
        drop(self.emulator.take());
        drop(self.mirror.take());
        let _ = strata_provider_local::gc(&self.hosts_dir, &[]);
        for dir in [&self.hosts_dir, &self.emr_dir] {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Ok(entries) = std::fs::read_dir("/etc/strata/services") {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if self.instances.iter().any(|id| name.ends_with(&format!("@{id}.sh"))) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        if let Some(cluster) = &self.cluster {
            let _ = std::fs::remove_dir_all(Path::new("/srv/strata/clusters").join(cluster));
        }
    }
}

fn strata_command(strata: &Path, dir: &Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(strata);
    command
        .args(args)
        .current_dir(dir)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", TEST_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", TEST_ACCESS_KEY_SECRET)
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env_remove("ALIBABA_CLOUD_PROFILE")
        .env("HOME", dir)
        .env("NO_COLOR", "1");
    command
}

/// Runs `strata ARGS` off the async runtime (the emulator answers on it meanwhile), failing
/// unless it exits with `code`; stdout + stderr.
async fn expect(guard: &Guard, args: &[&str], code: i32) -> String {
    let mut command = strata_command(&guard.strata, guard.work.path(), args);
    if matches!(args.first(), Some(&("apply" | "plan" | "destroy"))) {
        command.args(&guard.vars);
    }
    let (status, output) = tokio::task::spawn_blocking(move || bounded(&mut command, SECOND * 600)).await.unwrap();
    assert_eq!(status, Some(code), "strata {args:?}:\n{output}");
    output
}

/// The Spark master's `/json/` on `ip`.
fn master_json(ip: &str) -> Json {
    let address: SocketAddr = format!("{ip}:8080").parse().unwrap();
    let mut stream = TcpStream::connect_timeout(&address, SECOND * 5).unwrap();
    stream.set_read_timeout(Some(SECOND * 10)).unwrap();
    stream.write_all(format!("GET /json/ HTTP/1.0\r\nHost: {ip}\r\n\r\n").as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {body}"))
}

/// The nodes of the cluster in state: name → (instance id, ip).
async fn cluster_nodes(guard: &Guard) -> BTreeMap<String, (String, String)> {
    let outputs: Json = serde_json::from_str(&expect(guard, &["output", "--json"], 0).await).unwrap();
    outputs["cluster"]["value"]["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let field = |name: &str| node[name].as_str().unwrap().to_string();
            (field("name"), (field("instance_id"), field("ip")))
        })
        .collect()
}

/// The addresses of the workers the master lists ALIVE.
fn alive_workers(master_ip: &str) -> Vec<String> {
    let status = master_json(master_ip);
    let mut alive: Vec<String> = status["workers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|worker| worker["state"] == "ALIVE")
        .map(|worker| worker["host"].as_str().unwrap().to_string())
        .collect();
    alive.sort();
    alive
}

/// The provider's delivery report in `out` ("artifacts delivered to N hosts in ...").
fn delivery_line(out: &str) -> String {
    let line = out.lines().find(|line| line.contains("artifacts delivered to")).map(str::trim);
    line.unwrap_or_else(|| panic!("a delivery in:\n{out}")).to_string()
}

/// Day-2 changes in place: scale the core group out (2 → 3: one `RunInstances` of one
/// instance, the others untouched), change a Spark setting (the Spark services restart, host by
/// host; ZooKeeper does not), delete a core instance behind Strata's back (drift, then launched
/// again), and scale in (3 → 1: the highest indexes go).
#[allow(clippy::print_stderr)]
async fn day_two(guard: &mut Guard, master_ip: &str) {
    let before = cluster_nodes(guard).await;
    let launches = guard.emulator.as_ref().unwrap().successes("RunInstances");
    let out = expect(guard, &["apply", "--auto-approve", "--var", "workers=3"], 0).await;
    assert!(out.contains("Resources: 0 added, 1 changed, 0 destroyed."), "{out}");
    let after = cluster_nodes(guard).await;
    assert_eq!(after.len(), 4, "{after:?}");
    for (name, node) in &before {
        assert_eq!(after.get(name), Some(node), "{name} is kept as it was");
    }
    let emulator = guard.emulator.as_ref().unwrap();
    assert_eq!(emulator.successes("RunInstances"), launches + 1, "one RunInstances for the new core node");
    assert_eq!(emulator.inventory().instances, 4);
    let core_ips: Vec<String> = {
        let mut ips: Vec<String> =
            after.iter().filter(|(name, _)| name.contains("-core-")).map(|(_, (_, ip))| ip.clone()).collect();
        ips.sort();
        ips
    };
    assert_eq!(alive_workers(master_ip), core_ips, "the master lists the three workers ALIVE");
    // Only the new node is delivered to; the others already have the release.
    assert!(out.contains("artifacts delivered to 1 host "), "{out}");
    let key = guard.work.path().join("id_ed25519");
    assert_delivered(&key, &after["analytics-core-2"].1, false);
    eprintln!("alicloud-spark: scale out: {}", delivery_line(&out));
    guard.instances = emulator.instance_ids();

    let args = ["apply", "--auto-approve", "--var", "workers=3", "--var", "executor_memory=1g"];
    let out = expect(guard, &args, 0).await;
    assert!(out.contains("Resources: 0 added, 1 changed, 0 destroyed."), "{out}");
    assert!(out.contains("spark-worker restarted on analytics-core-2 (3/3)"), "rolling restart:\n{out}");
    assert!(!out.contains("zookeeper-server restarted"), "ZooKeeper does not read spark-defaults.conf:\n{out}");
    assert_eq!(cluster_nodes(guard).await, after, "a configuration change keeps every instance");

    // core-1 deleted from outside: drift, then launched again under the same name.
    let (lost_id, _) = after["analytics-core-1"].clone();
    let client = Client::new(ClientConfig {
        region: "cn-hangzhou".into(),
        endpoint: Some(guard.emulator.as_ref().unwrap().endpoint()),
        credentials: Credentials::new(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET),
        retry: RetryPolicy::default(),
    })
    .unwrap();
    api::delete_instances(&client, std::slice::from_ref(&lost_id)).await.unwrap();
    let deadline = Instant::now() + SECOND * 30;
    while guard.emulator.as_ref().unwrap().instance_ids().contains(&lost_id) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drift =
        expect(guard, &["plan", "--detailed-exitcode", "--var", "workers=3", "--var", "executor_memory=1g"], 2).await;
    assert!(drift.contains("host gone"), "{drift}");
    let out = expect(guard, &args, 0).await;
    assert!(out.contains("Resources: 0 added, 1 changed, 0 destroyed."), "{out}");
    let repaired = cluster_nodes(guard).await;
    assert_ne!(repaired["analytics-core-1"].0, lost_id, "a new instance for core-1");
    assert!(out.contains("artifacts delivered to 1 host "), "the relaunched core-1 is delivered to:\n{out}");
    eprintln!("alicloud-spark: lost instance: {}", delivery_line(&out));
    assert_eq!(repaired["analytics-core-0"], after["analytics-core-0"]);
    assert_eq!(alive_workers(master_ip).len(), 3, "three workers ALIVE after the repair");
    guard.instances.extend(guard.emulator.as_ref().unwrap().instance_ids());

    let out = expect(guard, &["apply", "--auto-approve", "--var", "workers=1", "--var", "executor_memory=1g"], 0).await;
    assert!(out.contains("Resources: 0 added, 1 changed, 0 destroyed."), "{out}");
    let shrunk = cluster_nodes(guard).await;
    assert_eq!(shrunk.keys().collect::<Vec<_>>(), ["analytics-core-0", "analytics-master-0"], "{shrunk:?}");
    assert_eq!(guard.emulator.as_ref().unwrap().inventory().instances, 2);
    let core0_ip = shrunk["analytics-core-0"].1.clone();
    let deadline = Instant::now() + SECOND * 30;
    while alive_workers(master_ip) != [core0_ip.clone()] && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(alive_workers(master_ip), [core0_ip], "only core-0's worker is ALIVE");
    let plan =
        expect(guard, &["plan", "--detailed-exitcode", "--var", "workers=1", "--var", "executor_memory=1g"], 0).await;
    assert!(plan.contains("No changes"), "{plan}");
}

fn netns_names() -> String {
    bounded(std::process::Command::new("ip").args(["netns", "list"]), SECOND * 30).1
}

#[allow(clippy::print_stderr)]
#[tokio::test(flavor = "multi_thread")]
async fn alicloud_spark_example_on_emulated_instances() {
    if !can_make_hosts() {
        return;
    }
    common::sweep_dead_runs();
    let started = Instant::now();
    let (strata, emr) = binaries();
    let script = repository().join(".ci/install-components.sh");
    let (code, output) = bounded(std::process::Command::new("bash").arg(&script), SECOND * 600);
    assert_eq!(code, Some(0), "{}: {output}", script.display());

    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
    let hosts_dir = PathBuf::from(format!("/var/lib/strata/test-alicloud-{}-{nanos}", std::process::id()));
    let emr_dir = PathBuf::from(format!("/var/lib/strata/test-alicloud-emr-{}-{nanos}", std::process::id()));
    let config = EmulatorConfig { real_hosts: Some(hosts_dir.clone()), ..EmulatorConfig::default() };
    let emulator = Emulator::start(config).await.unwrap();
    let endpoint = emulator.endpoint();
    let mut guard = Guard {
        work: tempfile::tempdir().unwrap(),
        strata,
        hosts_dir: hosts_dir.clone(),
        emr_dir: emr_dir.clone(),
        emulator: Some(emulator),
        instances: Vec::new(),
        cluster: None,
        vars: Vec::new(),
        mirror: None,
    };
    let dir = guard.work.path().to_path_buf();
    for file in ["main.hcl", "pi.py"] {
        std::fs::copy(repository().join("examples/alicloud-spark").join(file), dir.join(file)).unwrap();
    }
    let (vpc_cidr, vswitch_cidr) = free_subnet();
    // The mirror listens on the vSwitch's gateway, where the instances reach it (bound with
    // IP_FREEBIND: the address exists once the first instance does).
    let gateway = format!("{}1", vswitch_cidr.trim_end_matches("0/24"));
    mirror_files(&dir.join("mirror"));
    let mirror = Mirror::serve(&dir.join("mirror"), &gateway, &dir.join("mirror.log"));
    guard.vars = ["image_id", IMAGE, "artifact_mirror", mirror.base.as_str()]
        .chunks(2)
        .flat_map(|pair| ["--var".to_string(), format!("{}={}", pair[0], pair[1])])
        .collect();
    guard.mirror = Some(mirror);
    std::fs::write(
        dir.join("strata.hclvars"),
        format!(
            "endpoint = \"{endpoint}\"\nvpc_cidr = \"{vpc_cidr}\"\nvswitch_cidr = \"{vswitch_cidr}\"\n\
             emr_state_dir = \"{}\"\n",
            emr_dir.display()
        ),
    )
    .unwrap();
    let outputs = "output \"cluster\" {\n  value = {\n    id = alicloud_emr_cluster.analytics.id\n    \
                   hosts = alicloud_emr_cluster.analytics.hosts\n    zookeeper = alicloud_emr_cluster.analytics.zookeeper_connect\n    \
                   master_url = alicloud_emr_cluster.analytics.master_url\n    vswitch = alicloud_vswitch.main.id\n  }\n}\n";
    std::fs::write(dir.join("test.hcl"), outputs).unwrap();
    let keygen = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "alicloud-spark-test", "-f"])
        .arg(dir.join("id_ed25519"))
        .status()
        .unwrap();
    assert!(keygen.success());
    let providers = dir.join(".strata/providers");
    std::fs::create_dir_all(&providers).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_strata-provider-alicloud"),
        providers.join("strata-provider-alicloud"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&emr, providers.join("strata-provider-emr")).unwrap();
    let prepared = started.elapsed();

    let apply_started = Instant::now();
    let apply = expect(&guard, &["apply", "--auto-approve"], 0).await;
    let applied = apply_started.elapsed();
    for expected in [
        "alicloud_emr_cluster.analytics: instances running (3/3)",
        "alicloud_emr_cluster.analytics: SSH host keys of 3 instances checked against console output",
        "alicloud_emr_cluster.analytics: artifacts delivered to 3 hosts",
        "zookeeper-server healthy on 1/1",
        "spark-master healthy on 1/1",
        "workers ALIVE 2/2",
        "Apply complete! Resources: 6 added, 0 changed, 0 destroyed.",
    ] {
        assert!(apply.contains(expected), "{expected:?} in:\n{apply}");
    }
    let emulator = guard.emulator.as_ref().unwrap();
    let made = Inventory { vpcs: 1, vswitches: 1, security_groups: 1, key_pairs: 1, instances: 3 };
    assert_eq!(emulator.inventory(), made);
    assert_eq!(emulator.successes("RunInstances"), 2, "one RunInstances per node group");
    let hosts = emulator.instance_hosts();
    assert!(hosts.iter().all(|(_, phase)| *phase == HostPhase::Ready), "{hosts:?}");
    guard.instances = hosts.iter().map(|(id, _)| id.clone()).collect();

    let outputs: Json = serde_json::from_str(&expect(&guard, &["output", "--json"], 0).await).unwrap();
    let cluster = &outputs["cluster"]["value"];
    guard.cluster = cluster["id"].as_str().map(str::to_string);
    assert!(outputs["pi"]["value"].as_str().unwrap().contains("Pi is roughly 3.1"), "{outputs}");
    let nodes = cluster["hosts"].as_array().unwrap().clone();
    assert_eq!(nodes.len(), 3, "{cluster}");
    for node in &nodes {
        let ip = node["ip"].as_str().unwrap();
        assert!(ip.starts_with(vswitch_cidr.trim_end_matches("0/24")), "{ip} is in the vSwitch's {vswitch_cidr}");
        assert!(guard.instances.contains(&node["instance_id"].as_str().unwrap().to_string()), "{node}");
    }
    let master = nodes.iter().find(|node| node["name"] == "analytics-master-0").unwrap();
    let master_ip = master["ip"].as_str().unwrap();
    assert_eq!(cluster["master_url"], format!("spark://{master_ip}:7077"));
    assert_eq!(ruok(cluster["zookeeper"].as_str().unwrap()), "imok");
    let key = dir.join("id_ed25519");
    assert_delivered(&key, master_ip, true);
    let core0 = nodes.iter().find(|node| node["name"] == "analytics-core-0").unwrap();
    assert_delivered(&key, core0["ip"].as_str().unwrap(), false);
    eprintln!("alicloud-spark: create: {}", delivery_line(&apply));
    let status = master_json(master_ip);
    assert_eq!(status["status"], "ALIVE", "{status}");
    for core in nodes.iter().filter(|node| node["role"] == "CORE") {
        let alive = status["workers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|worker| worker["host"] == core["ip"] && worker["state"] == "ALIVE");
        assert!(alive, "a worker on {core} is ALIVE: {status}");
    }
    let network = network_name(cluster["vswitch"].as_str().unwrap());
    assert_eq!(netns_names().matches(&format!("strata.{network}.")).count(), 3, "{}", netns_names());

    let plan = expect(&guard, &["plan"], 0).await;
    assert!(plan.contains("No changes"), "refresh finds what apply made:\n{plan}");

    let day2_started = Instant::now();
    day_two(&mut guard, master_ip).await;
    let day2 = day2_started.elapsed();

    let destroy_started = Instant::now();
    let destroy = expect(&guard, &["destroy", "--auto-approve"], 0).await;
    let destroyed = destroy_started.elapsed();
    assert!(destroy.contains("Resources: 0 added, 0 changed, 6 destroyed."), "{destroy}");
    let emulator = guard.emulator.as_ref().unwrap();
    assert!(emulator.inventory().is_empty(), "{:?}", emulator.inventory());
    assert!(!netns_names().contains(&network), "no namespace of the vSwitch's network is left:\n{}", netns_names());
    let left: Vec<_> = std::fs::read_dir(hosts_dir.join("hosts"))
        .map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "host directories left: {left:?}");
    // The emulator's host thread removes the network after DeleteVSwitch answered (bounded).
    let removed = hosts_dir.join("networks").join(&network);
    let deadline = Instant::now() + SECOND * 10;
    while removed.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!removed.exists(), "the vSwitch's network is removed");
    let launchers: Vec<String> = std::fs::read_dir("/etc/strata/services")
        .map(|entries| entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let left: Vec<&String> =
        launchers.iter().filter(|name| guard.instances.iter().any(|id| name.contains(id.as_str()))).collect();
    assert!(left.is_empty(), "launchers left: {left:?}");
    let cluster_id = guard.cluster.clone().unwrap();
    assert!(!emr_dir.join("emr/clusters").join(format!("{cluster_id}.json")).exists(), "the record is removed");
    assert!(!Path::new("/srv/strata/clusters").join(&cluster_id).exists(), "the shared directory is removed");
    eprintln!(
        "alicloud-spark: setup {:.1} s, apply (cluster and pi job) {:.1} s, day 2 (scale out, config, lost \
         instance, scale in) {:.1} s, destroy {:.1} s, whole test {:.1} s",
        prepared.as_secs_f64(),
        applied.as_secs_f64(),
        day2.as_secs_f64(),
        destroyed.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
