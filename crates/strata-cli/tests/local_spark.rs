//! `examples/local-spark` for real: a ZooKeeper + Spark standalone cluster on namespace hosts
//! and a PySpark job on it, through the real `strata` binary and the plugin
//! `strata-provider-emr` (built next to `strata` if missing).
//!
//! `cluster_job_drift_repair_destroy` (root; skipped elsewhere, required under CI) copies the
//! example into a directory of its own with a provider block giving it a state directory and
//! a subnet of its own, installs the release's components if this machine lacks them
//! (`.ci/install-components.sh`), and a bootstrap action of its own (AFTER_STARTED, a marker
//! file), then: apply → the marker is on every node → ZooKeeper answers `ruok` → the Spark master's
//! JSON lists every worker ALIVE → the job's output and a `spark-submit` of pyspark's bundled
//! `pi.py` over SSH on the master both print "Pi is roughly 3.1" → no-op plan → `strata logs`
//! prints the job's driver log; a job that raises fails the apply, is recorded tainted and
//! planned for replacement; `strata run` runs the pi job again (a new application) → a worker is
//! killed from outside → `plan --detailed-exitcode` exits 2 naming it → apply restarts it →
//! core-0's `spark-env.sh` edited by hand over SSH → `plan --detailed-exitcode` exits 2 showing
//! the edited line with `-` and `+` and the worker to restart → apply puts the file back and
//! restarts only that worker → destroy leaves nothing (namespaces, links, processes, mounts, launchers, records). Every
//! wait is bounded; a guard destroys and collects everything when the test fails.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

mod support;
use support::can_make_hosts;
use support::cluster::{
    Footprint, Workspace, command_output, expect, install_components, netns_processes, report, run_on, run_on_within,
    running_since,
};

/// Runs of whitespace as one space, so expectations do not depend on alignment.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The example in a directory of its own (see `support::cluster::Workspace`), with an output
/// the test reads the cluster's hosts, key and endpoints from.
fn workspace() -> Workspace {
    with_actions(WORKSPACE_ACTIONS)
}

/// The test's bootstrap actions (not the example's): a marker on every node once everything
/// runs, and a failing script whose failure only warns.
const WORKSPACE_ACTIONS: &str = "  bootstrap_action \"mark\" {\n    script = \"mark.sh\"\n    args   = [\"bootstrapped\"]\n    \
                                 when   = \"AFTER_STARTED\"\n  }\n  bootstrap_action \"tolerated\" {\n    \
                                 script     = \"fail.sh\"\n    on_failure = \"CONTINUE\"\n  }\n";

/// The example with `actions` (HCL blocks) in its cluster, and the scripts they use: `mark.sh`
/// (writes [`MARKER`]) and `fail.sh` (exits 3).
fn with_actions(actions: &str) -> Workspace {
    let output = "output \"cluster\" {\n  value = {\n    id         = emr_cluster.analytics.id\n    \
                  hosts      = emr_cluster.analytics.hosts\n    key        = emr_cluster.analytics.ssh_private_key_path\n    \
                  master_url = emr_cluster.analytics.master_url\n    zookeeper  = emr_cluster.analytics.zookeeper_connect\n  }\n}\n";
    // The example itself declares `output "pi"` (the job's output), which the test reads.
    let workspace = Workspace::new("local-spark", &["main.hcl", "pi.py"], output);
    let main = workspace.dir().join("main.hcl");
    let text = std::fs::read_to_string(&main).unwrap();
    let anchor = "  config \"spark-defaults.conf\" {";
    let with_action = text.replacen(anchor, &format!("{actions}{anchor}"), 1);
    assert_ne!(with_action, text, "the example's cluster has a config block to put the actions before");
    std::fs::write(&main, with_action).unwrap();
    std::fs::write(workspace.dir().join("mark.sh"), format!("#!/bin/sh\nset -e\necho \"$1 $(hostname)\" > {MARKER}\n"))
        .unwrap();
    std::fs::write(workspace.dir().join("fail.sh"), "#!/bin/sh\necho 'cannot do it' >&2\nexit 3\n").unwrap();
    workspace
}

/// What the bootstrap action writes on every node (its own `/var/lib`).
const MARKER: &str = "/var/lib/strata/bootstrap-marker";

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

/// Whether `text` has a line that is `line` once trimmed.
fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|candidate| candidate.trim() == line)
}

/// A configuration file edited by hand on core-0 is drift, shown as a line diff; apply writes
/// it back and restarts only the service reading it there (the worker), nothing else.
fn hand_edits_are_drift_and_repaired(
    workspace: &Workspace,
    cluster: &Json,
    core: &Json,
    master_ip: &str,
    timings: &mut Vec<(&str, Duration)>,
) {
    let dir = workspace.dir();
    let file = "/opt/strata/conf/spark/spark-env.sh";
    let (line, edited) = ("export SPARK_WORKER_CORES='1'", "export SPARK_WORKER_CORES='1' # edited by hand");
    run_on(cluster, core, &format!("sed -i \"s/^{line}$/{edited}/\" {file} && grep -qxF \"{edited}\" {file}"));
    let core_ip = core["ip"].as_str().unwrap();
    let old_worker = worker_alive(&master_json(master_ip), core_ip, None).unwrap();

    let started = Instant::now();
    let drift = expect(dir, &["plan", "--detailed-exitcode"], 2);
    timings.push(("drift plan after a hand edit", started.elapsed()));
    let flat_drift = flat(&drift);
    for expected in [
        "# emr_cluster.analytics has changed",
        "~ config_files = <<-EOT",
        "==> analytics-core-0:/opt/strata/conf/spark/spark-env.sh <==",
        "~ restarts = [] -> [\"analytics-core-0/spark-worker\"]",
        "Plan: 0 to add, 1 to change, 0 to destroy.",
    ] {
        assert!(flat_drift.contains(expected), "{expected:?} in:\n{drift}");
    }
    // Refresh shows the edit (- the file as written, + as edited), the update puts it back.
    for diff_line in [format!("- {line}"), format!("+ {edited}"), format!("- {edited}"), format!("+ {line}")] {
        assert!(has_line(&drift, &diff_line), "{diff_line:?} in:\n{drift}");
    }

    let started = Instant::now();
    let repair = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("apply after a hand edit (the worker restarts)", started.elapsed()));
    assert!(repair.contains("spark-worker restarted on analytics-core-0 (1/1)"), "{repair}");
    assert_eq!(repair.matches(" restarted on ").count(), 1, "only the worker restarted:\n{repair}");
    assert!(!repair.contains(" started on "), "nothing else started:\n{repair}");
    assert_eq!(run_on(cluster, core, &format!("grep -cxF \"{line}\" {file} || true")).trim(), "1");
    assert!(
        worker_alive(&master_json(master_ip), core_ip, Some(&old_worker)).is_some(),
        "core-0 has a new ALIVE worker"
    );
    expect(dir, &["plan", "--detailed-exitcode"], 0);
}

/// The value of `name` in `strata state show ADDR`'s output.
fn shown_attribute(dir: &Path, addr: &str, name: &str) -> String {
    let shown = expect(dir, &["state", "show", addr], 0);
    let prefix = format!("{name} = ");
    shown.lines().find_map(|line| line.trim().strip_prefix(prefix.as_str()).map(str::to_string)).unwrap_or_default()
}

/// Jobs beyond the happy path: the pi job's whole driver log is kept (`strata logs`); a job
/// that raises fails the apply with its error line, is recorded tainted (status FAILED) and
/// planned for replacement; `strata run` runs the pi job again as a new Spark application.
fn jobs_fail_rerun_and_keep_their_logs(workspace: &Workspace, timings: &mut Vec<(&str, Duration)>) {
    let dir = workspace.dir();
    let log = expect(dir, &["logs", "emr_job.pi"], 0);
    assert!(log.contains("Pi is roughly 3.1") && log.contains("Connected to Spark cluster"), "{log}");
    let log_path = shown_attribute(dir, "emr_job.pi", "log_path");
    assert!(log_path.starts_with(&format!("\"{}/emr/jobs/j", workspace.state_dir.display())), "{log_path}");
    assert_eq!(expect(dir, &["logs", "emr_job.pi", "--tail", "1"], 0).lines().count(), 1);

    // It raises before Spark starts: a failure costs a JVM start, not a Spark application.
    std::fs::write(dir.join("broken.py"), "raise ValueError(\"the input table is empty\")\n").unwrap();
    let broken = "resource \"emr_job\" \"broken\" {\n  cluster = emr_cluster.analytics.id\n  type    = \"PYSPARK\"\n  \
                  main    = \"broken.py\"\n}\n";
    std::fs::write(dir.join("broken.hcl"), broken).unwrap();
    let started = Instant::now();
    let failed = expect(dir, &["apply", "--auto-approve"], 1);
    timings.push(("failing job", started.elapsed()));
    for expected in [
        "Failed to apply",
        "ValueError: the input table is empty",
        "The object it made is recorded as tainted, so the next plan replaces it.",
    ] {
        assert!(failed.contains(expected), "{expected:?} in:\n{failed}");
    }
    let shown = expect(dir, &["state", "show", "emr_job.broken"], 0);
    assert!(shown.starts_with("# emr_job.broken: (tainted)"), "{shown}");
    assert!(shown.contains("status = \"FAILED\"") && shown.contains("exit_code = 1"), "{shown}");
    let broken_log = shown_attribute(dir, "emr_job.broken", "log_path");
    let broken_log = PathBuf::from(broken_log.trim_matches('"'));
    assert!(std::fs::read_to_string(&broken_log).unwrap().contains("ValueError"), "{}", broken_log.display());
    let plan = flat(&expect(dir, &["plan", "--detailed-exitcode"], 2));
    assert!(plan.contains("# emr_job.broken is tainted, so it must be replaced"), "{plan}");
    std::fs::remove_file(dir.join("broken.hcl")).unwrap();
    let removed = expect(dir, &["apply", "--auto-approve"], 0);
    assert!(removed.contains("Resources: 0 added, 0 changed, 1 destroyed."), "{removed}");
    assert!(!broken_log.exists(), "the job's local log goes with it");

    // Run again on demand: the cluster is only checked, the job is a new application.
    let application = shown_attribute(dir, "emr_job.pi", "application_id");
    let started = Instant::now();
    let rerun = expect(dir, &["run", "emr_job.pi", "--auto-approve"], 0);
    timings.push(("strata run emr_job.pi", started.elapsed()));
    for expected in [
        "# emr_job.pi will be replaced, as requested",
        "emr_job.pi: running as app-",
        "emr_job.pi: Spark job 0 finished",
        "Resources: 1 added, 0 changed, 1 destroyed.",
    ] {
        assert!(rerun.contains(expected), "{expected:?} in:\n{rerun}");
    }
    let again = shown_attribute(dir, "emr_job.pi", "application_id");
    assert!(again.starts_with("\"app-") && again != application, "{application} then {again}");
    assert!(expect(dir, &["logs", "emr_job.pi"], 0).contains("Pi is roughly 3.1"));
}

#[test]
fn cluster_job_drift_repair_destroy() {
    if !can_make_hosts("the local Spark test") {
        return;
    }
    install_components();
    let workspace = workspace();
    let dir = workspace.dir();
    let mut timings = Vec::new();

    // The plan already knows every service the cluster will run.
    let plan = flat(&expect(dir, &["plan"], 0));
    for expected in [
        "\"analytics-master-0/zookeeper-server\" = \"running\"",
        "\"analytics-master-0/spark-master\" = \"running\"",
        "\"analytics-master-0/spark-history-server\" = \"running\"",
        "\"analytics-core-1/spark-worker\" = \"running\"",
        "\"analytics-master-0\" = [\"ZOOKEEPER 3.8.0\", \"SPARK 4.3.0\"]",
        "start_order = [[\"zookeeper-server\"], [\"spark-master\"], [\"spark-worker\", \"spark-history-server\"]]",
        "config_files = (known after apply)",
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
        "bootstrap action tolerated failed on 3 host(s); on_failure = \"CONTINUE\", so the create goes on",
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

    for node in &hosts {
        let name = node["name"].as_str().unwrap();
        assert_eq!(run_on(cluster, node, &format!("cat {MARKER}")), format!("bootstrapped {name}\n"), "{name}");
    }
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
    let started = Instant::now();
    let submit = run_on_within(
        cluster,
        master,
        "/opt/strata/bin/spark-submit /opt/strata/spark/examples/src/main/python/pi.py 4",
        Duration::from_secs(300),
    );
    timings.push(("spark-submit pi.py over SSH", started.elapsed()));
    assert!(submit.contains("Pi is roughly 3.1"), "{submit}");

    let started = Instant::now();
    expect(dir, &["plan", "--detailed-exitcode"], 0);
    timings.push(("no-op plan (refresh over SSH)", started.elapsed()));

    jobs_fail_rerun_and_keep_their_logs(&workspace, &mut timings);

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

    hand_edits_are_drift_and_repaired(&workspace, cluster, victim, master_ip, &mut timings);

    // Destroy leaves nothing of the cluster on the machine.
    let footprint = Footprint::of(&network, &hosts);
    assert!(
        footprint.processes.len() >= 10,
        "sshd, its launcher and the daemons of each host: {:?}",
        footprint.processes
    );
    assert_eq!(footprint.launchers().len(), 5, "zookeeper, master, history server and two workers have launchers");
    let started = Instant::now();
    let destroy = expect(dir, &["destroy", "--auto-approve"], 0);
    timings.push(("destroy", started.elapsed()));
    assert!(destroy.contains("Resources: 0 added, 0 changed, 2 destroyed."), "{destroy}");
    footprint.assert_gone(&workspace, &id, &[format!("emr/clusters/{id}.json")]);
    drop(workspace);

    a_failing_bootstrap_action_aborts_the_create(&mut timings);
    report("local-spark", &timings);
}

/// A BEFORE_INSTALL action with `on_failure = "ABORT"` that fails makes the create fail, quoting
/// its log, and the cluster is rolled back: no namespace, no state.
fn a_failing_bootstrap_action_aborts_the_create(timings: &mut Vec<(&str, Duration)>) {
    let workspace = with_actions("  bootstrap_action \"required\" {\n    script = \"fail.sh\"\n  }\n");
    let dir = workspace.dir();
    let started = Instant::now();
    let failed = expect(dir, &["apply", "--auto-approve"], 1);
    timings.push(("create failing in a bootstrap action (rolled back)", started.elapsed()));
    for expected in [
        "bootstrap action required (fail.sh) failed on 3 host(s)",
        "cannot do it",
        "The cluster's hosts and network were removed.",
    ] {
        assert!(failed.contains(expected), "{expected:?} in:\n{failed}");
    }
    for left in ["hosts", "networks"] {
        let entries: Vec<_> =
            std::fs::read_dir(workspace.state_dir.join(left)).map(|dir| dir.collect()).unwrap_or_default();
        assert!(entries.is_empty(), "{left} left: {entries:?}");
    }
    let state = std::fs::read_to_string(dir.join("strata.state.json")).unwrap_or_default();
    assert!(!state.contains("\"emr_cluster\""), "no cluster in the state: {state}");
}
