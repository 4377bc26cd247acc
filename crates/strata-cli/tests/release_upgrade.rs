//! A release upgrade on a real cluster (`testdata/emr/release-upgrade/`), through the real
//! `strata` binary and the plugin `strata-provider-emr`: one master, two core nodes.
//!
//! `patch_upgrade_in_place` (root; skipped elsewhere, required under CI): apply on
//! STRATA-1.0.0 → plan with STRATA-1.0.1: an update in place (not a replacement) whose
//! `release_change` says why and whose `restarts` are the Spark daemons, not ZooKeeper → apply:
//! "0 added, 1 changed", the same cluster id and hosts, every node's spark-defaults.conf holds
//! STRATA-1.0.1's fixed defaults, ZooKeeper's process is the same one (zoo.cfg did not change),
//! every worker ALIVE again → no-op plan → up-core-0's Spark link re-pointed by hand at
//! another version → `plan --refresh-only` shows `installed_versions` drift (exit 2), `plan`
//! restarts only that worker → apply links it back and restarts only that worker → no-op plan
//! → scale in 2 → 1 core: up-core-1's worker is decommissioned first (the apply says so, the
//! master's log has "Decommissioning worker" for its address), the other stays ALIVE → no-op
//! plan → destroy. Every wait is bounded; the workspace's guard
//! destroys and collects everything when the test fails.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

mod support;
use support::can_make_hosts;
use support::cluster::{Workspace, expect, install_components, netns_processes, report, repository, run_on};

/// Runs of whitespace as one space, so expectations do not depend on alignment.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn workspace() -> Workspace {
    let config = std::fs::read_to_string(repository().join("testdata/emr/release-upgrade/main.hcl")).unwrap();
    Workspace::new("local-spark", &[], &config)
}

/// The Spark master's `/json/` at `ip` (null when it does not answer).
fn master_json(ip: &str) -> Json {
    let address: SocketAddr = format!("{ip}:8080").parse().unwrap();
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(5)) else { return Json::Null };
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(format!("GET /json/ HTTP/1.0\r\nHost: {ip}\r\n\r\n").as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    serde_json::from_str(body).unwrap_or(Json::Null)
}

/// The states the master lists for workers on `ip`.
fn worker_states(master: &Json, ip: &str) -> Vec<String> {
    let workers = master["workers"].as_array().cloned().unwrap_or_default();
    workers.iter().filter(|worker| worker["host"] == ip).map(|worker| worker["state"].to_string()).collect()
}

/// ZooKeeper's process on the master, `(pid, start time)`.
fn zookeeper_process(network: &str, master: &Json) -> Option<(u32, u64)> {
    let netns = strata_provider_local::netns_name(network, master["id"].as_str().unwrap());
    netns_processes(&netns).into_iter().find_map(|(pid, _, since)| {
        let command = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        String::from_utf8_lossy(&command).contains("QuorumPeerMain").then_some((pid, since))
    })
}

#[test]
fn patch_upgrade_in_place() {
    if !can_make_hosts("the release upgrade test") {
        return;
    }
    install_components();
    let workspace = workspace();
    let dir = workspace.dir();
    let whole = Instant::now();
    let mut timings = Vec::new();

    let started = Instant::now();
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("cold apply on STRATA-1.0.0 (3 hosts)", started.elapsed()));
    assert!(apply.contains("Resources: 1 added, 0 changed, 0 destroyed."), "{apply}");
    let outputs: Json = serde_json::from_str(&expect(dir, &["output", "--json"], 0)).unwrap();
    let cluster = outputs["cluster"]["value"].clone();
    let id = cluster["id"].as_str().unwrap().to_string();
    let hosts = cluster["hosts"].as_array().unwrap().clone();
    let master = hosts.iter().find(|host| host["name"] == "up-master-0").unwrap().clone();
    let master_ip = master["ip"].as_str().unwrap().to_string();
    let network = format!("emr-{id}");
    let zookeeper = zookeeper_process(&network, &master).expect("ZooKeeper runs on the master");
    let defaults = "/opt/strata/conf/spark/spark-defaults.conf";
    let before = run_on(&cluster, &hosts[1], &format!("cat {defaults}"));
    assert!(!before.contains("spark.decommission.enabled"), "{before}");

    // STRATA-1.0.0 -> STRATA-1.0.1: a patch-level change, in place.
    let patch = ["--var", "release=STRATA-1.0.1"];
    let plan = flat(&expect(dir, &[&["plan"][..], &patch].concat(), 0));
    for expected in [
        "# emr_cluster.up will be updated in-place",
        "~ release = \"STRATA-1.0.0\" -> \"STRATA-1.0.1\"",
        "release_change = \"STRATA-1.0.0 -> STRATA-1.0.1: a patch-level upgrade (same 1.0: fixes only",
        "+ spark.decommission.enabled true",
        "\"up-core-0/spark-worker\", \"up-core-1/spark-worker\", \"up-master-0/spark-history-server\", \
         \"up-master-0/spark-master\"]",
        "Plan: 0 to add, 1 to change, 0 to destroy.",
    ] {
        assert!(plan.contains(expected), "{expected:?} in:\n{plan}");
    }
    assert!(!plan.contains("forces replacement") && !plan.contains("zookeeper-server\"]"), "{plan}");
    let started = Instant::now();
    let upgraded = expect(dir, &[&["apply", "--auto-approve"][..], &patch].concat(), 0);
    timings.push(("STRATA-1.0.1 applied in place (rolling restart of the Spark daemons)", started.elapsed()));
    assert!(upgraded.contains("Resources: 0 added, 1 changed, 0 destroyed."), "{upgraded}");
    let outputs: Json = serde_json::from_str(&expect(dir, &["output", "--json"], 0)).unwrap();
    assert_eq!(outputs["cluster"]["value"]["id"], id.as_str(), "the same cluster");
    assert_eq!(outputs["cluster"]["value"]["hosts"], Json::Array(hosts.clone()), "the same hosts");
    for host in &hosts {
        let after = run_on(&cluster, host, &format!("cat {defaults}"));
        for line in ["spark.history.fs.cleaner.enabled true", "spark.decommission.enabled true"] {
            assert!(after.lines().any(|found| found == line), "{line:?} on {}:\n{after}", host["name"]);
        }
    }
    assert_eq!(zookeeper_process(&network, &master), Some(zookeeper), "ZooKeeper was restarted");
    let status = master_json(&master_ip);
    assert_eq!(status["status"], "ALIVE", "{status}");
    for core in &hosts[1..] {
        let states = worker_states(&status, core["ip"].as_str().unwrap());
        assert!(states.contains(&"\"ALIVE\"".to_string()), "{}: {states:?}", core["name"]);
    }
    let started = Instant::now();
    expect(dir, &[&["plan", "--detailed-exitcode"][..], &patch].concat(), 0);
    timings.push(("no-op plan after the upgrade", started.elapsed()));

    // A component linked at another version on a node, by hand: drift, repaired by apply
    // (linked back, the worker restarted).
    let core = &hosts[1];
    let link = "/opt/strata/spark";
    let home = run_on(&cluster, core, &format!("readlink {link}")).trim().to_string();
    assert!(home.ends_with("/pyspark-4.3.0/pyspark"), "{home}");
    let other = home.replace("pyspark-4.3.0", "pyspark-4.2.0");
    run_on(&cluster, core, &format!("ln -sfn {other} {link}"));
    let drift = flat(&expect(dir, &[&["plan", "--refresh-only", "--detailed-exitcode"][..], &patch].concat(), 2));
    for expected in ["# emr_cluster.up has changed", "\"up-core-0/SPARK\" = \"4.2.0\""] {
        assert!(drift.contains(expected), "{expected:?} in:\n{drift}");
    }
    let plan = flat(&expect(dir, &[&["plan", "--detailed-exitcode"][..], &patch].concat(), 2));
    for expected in ["~ restarts = [", "] -> [\"up-core-0/spark-worker\"]", "Plan: 0 to add, 1 to change"] {
        assert!(plan.contains(expected), "{expected:?} in:\n{plan}");
    }
    let worker = |host: &Json| {
        let netns = strata_provider_local::netns_name(&network, host["id"].as_str().unwrap());
        netns_processes(&netns).into_iter().find_map(|(pid, _, since)| {
            let command = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            String::from_utf8_lossy(&command).contains("deploy.worker.Worker").then_some((pid, since))
        })
    };
    let (old_worker, other_worker) = (worker(core), worker(&hosts[2]));
    assert!(old_worker.is_some(), "a worker runs on up-core-0");
    let started = Instant::now();
    let repaired = expect(dir, &[&["apply", "--auto-approve"][..], &patch].concat(), 0);
    timings.push(("a re-pointed component link repaired (linked back, the worker restarted)", started.elapsed()));
    assert!(repaired.contains("Resources: 0 added, 1 changed, 0 destroyed."), "{repaired}");
    assert_eq!(run_on(&cluster, core, &format!("readlink {link}")).trim(), home, "linked back");
    let new_worker = worker(core);
    assert!(new_worker.is_some() && new_worker != old_worker, "the worker of up-core-0 was restarted");
    assert_eq!(worker(&hosts[2]), other_worker, "the other worker was not restarted");
    expect(dir, &[&["plan", "--detailed-exitcode"][..], &patch].concat(), 0);

    // Scale in 2 -> 1 on STRATA-1.0.1: up-core-1's worker is decommissioned (the master marks
    // it DECOMMISSIONED), then stopped and its host removed.
    let one = ["--var", "release=STRATA-1.0.1", "--var", "workers=1"];
    let removed_ip = hosts[2]["ip"].as_str().unwrap().to_string();
    let started = Instant::now();
    let scaled = expect(dir, &[&["apply", "--auto-approve"][..], &one].concat(), 0);
    timings.push(("scale in 2 -> 1 core, the worker decommissioned first", started.elapsed()));
    for expected in [
        "decommissioning the Spark workers of up-core-1",
        "up-core-1 decommissioned after",
        "(1 listed DECOMMISSIONED by the master)",
        "Resources: 0 added, 1 changed, 0 destroyed.",
    ] {
        assert!(scaled.contains(expected), "{expected:?} in:\n{scaled}");
    }
    let master_log = run_on(&cluster, &master, "cat /var/log/strata/spark-master*.log");
    let decommissioned: Vec<&str> = master_log
        .lines()
        .filter(|line| line.contains("Decommissioning worker") && line.contains(&removed_ip))
        .collect();
    assert!(!decommissioned.is_empty(), "the master's log has no decommissioning of {removed_ip}:\n{master_log}");
    let status = master_json(&master_ip);
    let states = worker_states(&status, hosts[1]["ip"].as_str().unwrap());
    assert!(states.contains(&"\"ALIVE\"".to_string()), "up-core-0: {states:?}");
    assert!(!worker_states(&status, &removed_ip).contains(&"\"ALIVE\"".to_string()), "{status}");
    expect(dir, &[&["plan", "--detailed-exitcode"][..], &one].concat(), 0);

    let started = Instant::now();
    let destroy = expect(dir, &[&["destroy", "--auto-approve"][..], &one].concat(), 0);
    timings.push(("destroy", started.elapsed()));
    assert!(destroy.contains("Resources: 0 added, 0 changed, 1 destroyed."), "{destroy}");
    assert!(!workspace.shared_root.join(&id).exists(), "the cluster's shared directory is left");
    timings.push(("the whole test", whole.elapsed()));
    report("release-upgrade", &timings);
}
