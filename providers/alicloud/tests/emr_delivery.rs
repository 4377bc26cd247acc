//! `alicloud_emr_cluster` with `artifact_mirror` on instances that have a root file system of
//! their own (the emulator's image `debian_12_9_...`: container hosts over a Debian 12 base with
//! a JDK and pip, nothing of the release): the release's artifacts are served by an HTTP
//! mirror on the vSwitch's gateway (the component cache's `artifacts/`, kept by
//! `.ci/install-components.sh`), downloaded by every instance, verified, installed with the
//! catalog's commands.
//!
//! One master and one core (ZOOKEEPER + SPARK): after the create, on each instance (over SSH)
//! `dpkg -s zookeeper` says installed (master), pyspark is in its install directory, the
//! artifact files' sha256 are the catalog's, ZooKeeper answers `imok`, a Spark pi job runs;
//! the next plan has no changes and an apply again delivers nothing (markers and the dpkg log
//! untouched); scaling out with a mirror serving a tampered py4j fails with the sha256
//! diagnostic and the new instance has nothing of Spark; destroy leaves no instance, host or
//! network. Root only (refused under CI when not root).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::hosts::{Mirror, free_block, is_root, output, ruok, ssh};
use common::{Harness, text};
use strata_provider_alicloud::resources::emr_cluster::EmrCluster;
use strata_provider_emr::model::NodeGroup;
use strata_provider_sdk::{Model, Value};

const TYPE: &str = "alicloud_emr_cluster";
/// The emulator's image whose instances have their own root file system.
const IMAGE: &str = "debian_12_9_x64_20G_alibase_20250117.vhd";
const CACHE: &str = "/var/cache/strata/components";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Removes what the test made when dropped (the emulator first: it destroys its hosts).
struct Cleanup {
    harness: Option<Harness>,
    dirs: Vec<PathBuf>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        drop(self.harness.take());
        for dir in &self.dirs {
            let _ = strata_provider_local::gc(dir, &[]);
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// `good/` and `tampered/` under `mirror`: every artifact file of the cache, flat (links);
/// in `tampered/`, `py4j`'s wheel is a copy with one byte more.
fn mirrors(mirror: &Path) -> (String, String) {
    let (good, tampered) = (mirror.join("good"), mirror.join("tampered"));
    std::fs::create_dir_all(&good).unwrap();
    std::fs::create_dir_all(&tampered).unwrap();
    let mut tampered_sha = String::new();
    for component in std::fs::read_dir(Path::new(CACHE).join("artifacts")).unwrap().flatten() {
        for file in std::fs::read_dir(component.path()).unwrap().flatten() {
            let name = file.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            std::os::unix::fs::symlink(file.path(), good.join(&name)).unwrap();
            if name.to_string_lossy().starts_with("py4j-") {
                let mut bytes = std::fs::read(file.path()).unwrap();
                bytes.push(b'\n');
                std::fs::write(tampered.join(&name), &bytes).unwrap();
                tampered_sha = strata_deploy::sha256_hex(&bytes);
            } else {
                std::os::unix::fs::symlink(file.path(), tampered.join(&name)).unwrap();
            }
        }
    }
    assert!(!tampered_sha.is_empty(), "py4j's wheel is in {CACHE}/artifacts");
    (tampered_sha, "py4j-0.10.9.9-py2.py3-none-any.whl".to_string())
}

fn group(role: &str, count: i64) -> NodeGroup {
    NodeGroup { role: role.into(), instance_type: "ecs.g6.large".into(), count, disk_size: None, private_ips: None }
}

fn messages(reports: &[strata_provider::Progress]) -> String {
    reports.iter().map(|report| format!("{}\n", report.message)).collect()
}

/// The catalog's sha256 of every artifact file of `components`, as `sha256sum` prints them.
fn catalog_sums(components: &[&str]) -> Vec<String> {
    let release = strata_release::Catalog::builtin().get("STRATA-1.0.1").unwrap();
    let mut sums: Vec<String> = release
        .components
        .iter()
        .filter(|component| components.contains(&component.key.as_str()))
        .flat_map(|component| {
            let dir = format!("{CACHE}/artifacts/{}", component.key.to_lowercase());
            component
                .artifacts
                .iter()
                .filter_map(move |artifact| {
                    Some(format!("{}  {dir}/{}", artifact.sha256.as_deref()?, artifact.file_name()?))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    sums.sort();
    sums
}

fn on(key: &Path, ip: &str, command: &str) -> String {
    let (code, text) = ssh(key, ip, command, 300);
    assert_eq!(code, 0, "{command} on {ip}:\n{text}");
    text
}

#[allow(clippy::print_stderr)]
#[tokio::test(flavor = "multi_thread")]
async fn artifacts_from_a_mirror_are_verified_and_installed_once() {
    if !is_root() {
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b"SKIPPED: makes hosts, needs root\n");
        return;
    }
    common::sweep_dead_runs();
    let started = Instant::now();
    let script = repository().join(".ci/install-components.sh");
    let status = Command::new("timeout").arg("1200").arg("bash").arg(&script).status().unwrap();
    assert!(status.success(), "{}", script.display());

    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
    let pid = std::process::id();
    let hosts_dir = PathBuf::from(format!("/var/lib/strata/test-alicloud-{pid}-{nanos}"));
    let emr_dir = PathBuf::from(format!("/var/lib/strata/test-alicloud-emr-{pid}-{nanos}"));
    let work = tempfile::tempdir().unwrap();
    let key = work.path().join("id_ed25519");
    let keygen = Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&key).status().unwrap();
    assert!(keygen.success());
    let public_key = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let (tampered_sha, tampered_file) = mirrors(&work.path().join("mirror"));

    let config = strata_provider_alicloud::emulator::EmulatorConfig {
        real_hosts: Some(hosts_dir.clone()),
        ..Default::default()
    };
    let harness = Harness::with(config, common::fast_options(common::test_credentials())).await;
    let cleanup = Cleanup { harness: Some(harness), dirs: vec![hosts_dir.clone(), emr_dir.clone()] };
    let harness = cleanup.harness.as_ref().unwrap();
    let block = free_block(213);
    let prefix = block.trim_end_matches("0/24").to_string();
    let vpc = harness
        .create("alicloud_vpc", harness.config("alicloud_vpc", &[("cidr_block", "10.213.0.0/16".into())]), "d-vpc")
        .await
        .unwrap();
    let vpc_id = text(&vpc, "id");
    let vswitch_config = harness.config(
        "alicloud_vswitch",
        &[("vpc_id", vpc_id.as_str().into()), ("cidr_block", block.as_str().into()), ("zone_id", common::ZONE.into())],
    );
    let vswitch = harness.create("alicloud_vswitch", vswitch_config, "d-vsw").await.unwrap();
    let group_state = harness
        .create(
            "alicloud_security_group",
            harness.config("alicloud_security_group", &[("vpc_id", vpc_id.as_str().into())]),
            "d-sg",
        )
        .await
        .unwrap();
    let pair = [("key_name", Value::from("delivery")), ("public_key", public_key.trim().into())];
    let key_pair =
        harness.create("alicloud_key_pair", harness.config("alicloud_key_pair", &pair), "d-key").await.unwrap();
    let mirror = Mirror::serve(&work.path().join("mirror"), &format!("{prefix}1"), &work.path().join("mirror.log"));

    let cluster = |cores: i64, mirror_dir: &str| EmrCluster {
        name: "deliv".into(),
        release: "STRATA-1.0.1".into(),
        node_group: [("master".to_string(), group("MASTER", 1)), ("core".to_string(), group("CORE", cores))].into(),
        vswitch_id: text(&vswitch, "id"),
        security_group_id: text(&group_state, "id"),
        image_id: IMAGE.into(),
        key_pair_name: "delivery".into(),
        private_key_path: key.to_string_lossy().into_owned(),
        artifact_mirror: Some(format!("{}/{mirror_dir}", mirror.base)),
        emr_state_dir: Some(emr_dir.to_string_lossy().into_owned()),
        ..common::example_cluster()
    };
    let prepared = started.elapsed();

    // Create: instances, delivery, configuration, services.
    let create_started = Instant::now();
    let (created, reports) = harness.create_reporting(TYPE, cluster(1, "good").encode(), "d-cluster").await;
    let created = created.unwrap_or_else(|error| panic!("{error:?}\n{}", messages(&reports)));
    let create_time = create_started.elapsed();
    let log = messages(&reports);
    let delivered = log.lines().find(|line| line.starts_with("artifacts delivered to 2 hosts")).unwrap_or_else(|| {
        panic!("a delivery to both hosts in:\n{log}");
    });
    let state = EmrCluster::decode(&created).unwrap();
    assert_eq!(state.status.as_deref(), Some("RUNNING"), "{state:?}");
    assert!(state.services_status.iter().flatten().all(|(_, value)| value == "running"), "{state:?}");
    let hosts = state.hosts.clone().unwrap();
    let ip = |name: &str| hosts.iter().find(|host| host.name == name).unwrap().ip.clone();
    let (master, core) = (ip("deliv-master-0"), ip("deliv-core-0"));

    // On each instance, in its own root: the catalog's files, the packages, pyspark.
    for (host, components) in [(&master, &["ZOOKEEPER", "SPARK"][..]), (&core, &["SPARK"][..])] {
        let sums = on(&key, host, &format!("sha256sum {CACHE}/artifacts/*/* | sort"));
        assert_eq!(sums.lines().collect::<Vec<_>>(), catalog_sums(components), "artifact files on {host}");
        on(&key, host, &format!("test -x {CACHE}/pyspark-4.3.0/pyspark/bin/spark-class"));
        on(&key, host, &format!("test -f {CACHE}/artifacts/spark/.strata-installed"));
    }
    let zookeeper = on(&key, &master, "dpkg -s zookeeper");
    assert!(zookeeper.contains("Status: install ok installed") && zookeeper.contains("Version: 3.8.0-11+deb12u2"));
    let (code, _) = ssh(&key, &core, "dpkg -s zookeeper", 30);
    assert_ne!(code, 0, "ZooKeeper is for masters only");
    assert!(
        !Path::new(CACHE).join("artifacts/spark/.strata-installed").exists(),
        "the marker is in the instance's root, not this machine's"
    );
    assert_eq!(ruok(state.zookeeper_connect.as_deref().unwrap()), "imok");

    // A Spark job on the cluster.
    let job_started = Instant::now();
    let pi = on(
        &key,
        &master,
        &format!(
            "SPARK_CONF_DIR=/opt/strata/conf/spark {CACHE}/pyspark-4.3.0/pyspark/bin/spark-submit \
             {CACHE}/pyspark-4.3.0/pyspark/examples/src/main/python/pi.py 4 2>&1"
        ),
    );
    assert!(pi.contains("Pi is roughly 3.1"), "{pi}");
    let job_time = job_started.elapsed();

    // Again: no changes planned; an apply anyway delivers nothing.
    let planned = harness.plan(TYPE, Some(created.clone()), cluster(1, "good").encode()).await.unwrap();
    assert_eq!(EmrCluster::decode(&planned).unwrap(), state, "the next plan has no changes");
    let fingerprint =
        "stat -c %Y /var/cache/strata/components/artifacts/*/.strata-installed; wc -l < /var/log/dpkg.log";
    let before = (on(&key, &master, fingerprint), on(&key, &core, fingerprint));
    let again_started = Instant::now();
    let (again, reports) = harness.update_reporting(TYPE, created.clone(), cluster(1, "good").encode()).await;
    again.unwrap_or_else(|error| panic!("{error:?}\n{}", messages(&reports)));
    let again_time = again_started.elapsed();
    assert!(messages(&reports).contains("artifacts already installed on 2/2 hosts"), "{}", messages(&reports));
    assert_eq!((on(&key, &master, fingerprint), on(&key, &core, fingerprint)), before, "nothing was installed again");

    // Scale out from a mirror serving a tampered py4j: refused, nothing of Spark on the new node.
    let tamper_started = Instant::now();
    let (tampered, reports) = harness.update_reporting(TYPE, created.clone(), cluster(2, "tampered").encode()).await;
    let error = tampered.expect_err("a tampered artifact fails the apply");
    let tamper_time = tamper_started.elapsed();
    assert_eq!(error.attribute.as_deref(), Some("artifact_mirror"), "{error:?}");
    let expected = catalog_sums(&["SPARK"]).into_iter().find(|line| line.contains("py4j")).unwrap();
    for part in [
        "Artifact checksum mismatch",
        "host deliv-core-1",
        &format!("artifact {tampered_file} of SPARK has sha256 {tampered_sha}"),
        &format!("the release catalog says sha256 {}", &expected[..64]),
    ] {
        assert!(error.message.contains(part), "{part:?} in:\n{}\n{}", error.message, messages(&reports));
    }
    assert_eq!(error.message.matches("host ").count(), 1, "only the new node mismatches: {}", error.message);
    let new_core = format!("{prefix}4");
    assert_eq!(on(&key, &new_core, "hostname").trim(), "deliv-core-1");
    let left = on(
        &key,
        &new_core,
        &format!("ls -A {CACHE}/artifacts/spark 2>/dev/null; ls -d {CACHE}/pyspark-4.3.0 2>&1 || true"),
    );
    assert!(left.contains("No such file") && !left.contains(".part") && !left.contains("installed"), "{left}");

    // Destroy: everything the cluster and its network made goes.
    let destroy_started = Instant::now();
    harness.delete(TYPE, created).await.unwrap();
    for (type_name, state) in [
        ("alicloud_key_pair", key_pair),
        ("alicloud_security_group", group_state),
        ("alicloud_vswitch", vswitch.clone()),
        ("alicloud_vpc", vpc),
    ] {
        harness.delete(type_name, state).await.unwrap();
    }
    let destroy_time = destroy_started.elapsed();
    let emulator = &harness.emulator;
    assert!(emulator.inventory().is_empty(), "{:?}", emulator.inventory());
    let network = strata_provider_alicloud::emulator::hosts::network_name(&text(&vswitch, "id"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while hosts_dir.join("networks").join(&network).exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!hosts_dir.join("networks").join(&network).exists(), "the vSwitch's network is removed");
    let left: Vec<_> = std::fs::read_dir(hosts_dir.join("hosts"))
        .map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "host directories left: {left:?}");
    assert!(!output("ip", &["netns", "list"]).contains(&network), "no namespace of the network is left");
    drop(mirror);
    drop(cleanup);
    eprintln!(
        "emr_delivery: setup {:.1} s; create {:.1} s ({delivered}); pi job {:.1} s; apply again {:.1} s; \
         tampered scale out {:.1} s; destroy {:.1} s; whole test {:.1} s",
        prepared.as_secs_f64(),
        create_time.as_secs_f64(),
        job_time.as_secs_f64(),
        again_time.as_secs_f64(),
        tamper_time.as_secs_f64(),
        destroy_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
