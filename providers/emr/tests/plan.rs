//! The `emr_cluster` plan, through the provider's `Provider` interface (no hosts needed): what
//! a create knows in advance, what drift, scaling, host repairs and configuration changes
//! plan, what is refused, and that the plugin's schema keeps every attribute of the built-in
//! `emr_*` schemas (configurations written against those stay valid).

use std::collections::BTreeMap;

use strata_provider::{PlanRequest, Provider};
use strata_provider_emr::metastore_model::Metastore;
use strata_provider_emr::model::{BootstrapAction, Cluster, ClusterHost, ConfigFile, NodeGroup};
use strata_provider_sdk::{Model, Value};
use strata_schema::SchemaSource;

fn group(role: &str, count: i64) -> NodeGroup {
    NodeGroup { role: role.into(), instance_type: "local.c1m2".into(), count, disk_size: None, private_ips: None }
}

/// `examples/local-spark`'s cluster as configured.
fn config() -> Cluster {
    Cluster {
        name: "analytics".into(),
        release: "STRATA-1.0.0".into(),
        services: vec!["ZOOKEEPER".into(), "SPARK".into()],
        metastore: None,
        ssh_public_key: None,
        node_group: [("master".to_string(), group("MASTER", 1)), ("core".to_string(), group("CORE", 2))].into(),
        config: [(
            "spark-defaults.conf".to_string(),
            ConfigFile { values: [("spark.executor.memory".to_string(), "512m".to_string())].into() },
        )]
        .into(),
        id: None,
        status: None,
        master_private_ip: None,
        master_url: None,
        master_ui_url: None,
        sql_jdbc_url: None,
        zookeeper_connect: None,
        hosts: None,
        services_status: None,
        ssh_private_key_path: None,
        bootstrap_action: BTreeMap::new(),
        config_files: None,
        restarts: None,
        components: None,
        start_order: None,
        installed_versions: None,
        release_change: None,
    }
}

const SERVICES: [&str; 5] = [
    "analytics-core-0/spark-worker",
    "analytics-core-1/spark-worker",
    "analytics-master-0/spark-history-server",
    "analytics-master-0/spark-master",
    "analytics-master-0/zookeeper-server",
];

/// The state of that cluster once applied, every service running.
fn applied() -> Cluster {
    let mut cluster = config();
    let host = |name: &str, ip: &str, role: &str, group: &str| ClusterHost {
        name: name.into(),
        ip: ip.into(),
        role: role.into(),
        node_group: group.into(),
        id: format!("h-{name}"),
        ssh_host_key_fingerprint: "SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI".into(),
    };
    cluster.hosts = Some(vec![
        host("analytics-master-0", "10.232.0.2", "MASTER", "master"),
        host("analytics-core-0", "10.232.0.3", "CORE", "core"),
        host("analytics-core-1", "10.232.0.4", "CORE", "core"),
    ]);
    cluster.node_group.get_mut("master").unwrap().private_ips = Some(vec!["10.232.0.2".into()]);
    cluster.node_group.get_mut("core").unwrap().private_ips = Some(vec!["10.232.0.3".into(), "10.232.0.4".into()]);
    cluster.id = Some("c0123456789ab".into());
    cluster.status = Some("RUNNING".into());
    cluster.master_private_ip = Some("10.232.0.2".into());
    cluster.master_url = Some("spark://10.232.0.2:7077".into());
    cluster.master_ui_url = Some("http://10.232.0.2:8080".into());
    cluster.zookeeper_connect = Some("10.232.0.2:2181".into());
    cluster.services_status = Some(SERVICES.iter().map(|key| (key.to_string(), "running".to_string())).collect());
    cluster.ssh_private_key_path = Some("/var/lib/strata/local/networks/emr-c0123456789ab/client_ed25519".into());
    cluster.config_files = Some(std::fs::read_to_string(config_files_golden()).unwrap_or_default());
    cluster.restarts = Some(Vec::new());
    cluster.components = Some(
        [
            ("analytics-core-0".to_string(), vec!["SPARK 4.3.0".to_string()]),
            ("analytics-core-1".to_string(), vec!["SPARK 4.3.0".to_string()]),
            ("analytics-master-0".to_string(), vec!["ZOOKEEPER 3.8.0".to_string(), "SPARK 4.3.0".to_string()]),
        ]
        .into(),
    );
    cluster.installed_versions = Some(installed(&[]));
    cluster.start_order = Some(vec![
        vec!["zookeeper-server".into()],
        vec!["spark-master".into()],
        vec!["spark-worker".into(), "spark-history-server".into()],
    ]);
    cluster
}

/// `installed_versions` of [`applied`], with `changes` (`HOST/COMPONENT`, version) over it.
fn installed(changes: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut versions: BTreeMap<String, String> = [
        ("analytics-core-0/SPARK", "4.3.0"),
        ("analytics-core-1/SPARK", "4.3.0"),
        ("analytics-master-0/SPARK", "4.3.0"),
        ("analytics-master-0/ZOOKEEPER", "3.8.0"),
    ]
    .into_iter()
    .map(|(key, version)| (key.to_string(), version.to_string()))
    .collect();
    for (key, version) in changes {
        versions.insert(key.to_string(), version.to_string());
    }
    versions
}

/// `config_files` of [`applied`]: every configuration file of its three nodes, as planned
/// (`STRATA_UPDATE_GOLDEN=1` rewrites it from the plan of an unchanged cluster).
fn config_files_golden() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/emr/plan/config-files.txt")
}

/// The planned attribute `name` of `config` over `prior`.
fn planned_attribute(prior: Cluster, config: Cluster, name: &str) -> Value {
    let provider = strata_provider_emr::provider();
    let request = PlanRequest { type_name: "emr_cluster".into(), prior: Some(prior.encode()), config: config.encode() };
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let planned = runtime.block_on(provider.plan(request)).unwrap().planned;
    planned.as_mapping().unwrap()[name].clone()
}

fn strings(values: &[&str]) -> Value {
    Value::List(values.iter().map(|value| Value::from(*value)).collect())
}

/// What a plan should say: attributes planned unknown, attributes known with a value, the
/// attributes requiring replacement; or an error on an attribute containing a text.
#[derive(Default)]
struct Expect {
    unknown: &'static [&'static str],
    known: Vec<(&'static str, Value)>,
    replace: &'static [&'static str],
    error: Option<(&'static str, &'static str)>,
}

/// Plans `config` over `prior` and checks `expect`; returns the failures.
fn check(name: &str, prior: Option<Cluster>, config: Cluster, expect: Expect) -> Vec<String> {
    let provider = strata_provider_emr::provider();
    let request = PlanRequest {
        type_name: "emr_cluster".into(),
        prior: prior.map(|prior| prior.encode()),
        config: config.encode(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let mut failures = Vec::new();
    match (runtime.block_on(provider.plan(request)), expect.error) {
        (Ok(response), None) => {
            let planned = response.planned.as_mapping().cloned().unwrap_or_default();
            for attribute in expect.unknown {
                if planned.get(*attribute).is_some_and(Value::is_wholly_known) {
                    failures.push(format!("{name}: {attribute} is known: {}", planned[*attribute].to_hcl()));
                }
            }
            for (attribute, value) in &expect.known {
                if planned.get(*attribute) != Some(value) {
                    let got = planned.get(*attribute).map(Value::to_hcl).unwrap_or_default();
                    failures.push(format!("{name}: {attribute} = {got}, expected {}", value.to_hcl()));
                }
            }
            if response.requires_replace != expect.replace {
                failures.push(format!("{name}: requires_replace {:?}", response.requires_replace));
            }
        }
        (Err(error), Some((attribute, text))) => {
            if error.attribute.as_deref() != Some(attribute) || !error.message.contains(text) {
                failures.push(format!("{name}: error on {:?}: {}", error.attribute, error.message));
            }
        }
        (Ok(response), Some(_)) => failures.push(format!("{name}: planned {}", response.planned.to_hcl())),
        (Err(error), None) => failures.push(format!("{name}: {}", error.message)),
    }
    failures
}

fn all_running() -> Value {
    Value::Map(SERVICES.iter().map(|key| (key.to_string(), Value::from("running"))).collect())
}

fn node_group_ips(cluster: &Value, group: &str) -> Value {
    let groups = cluster.as_mapping().unwrap()["node_group"].clone();
    groups.as_mapping().unwrap()[group].as_mapping().unwrap()["private_ips"].clone()
}

#[test]
fn plans() {
    if std::env::var_os("STRATA_UPDATE_GOLDEN").is_some() {
        let text = planned_attribute(applied(), config(), "config_files");
        std::fs::create_dir_all(config_files_golden().parent().unwrap()).unwrap();
        std::fs::write(config_files_golden(), text.as_str().unwrap()).unwrap();
    }
    let mut failures = Vec::new();

    failures.extend(check(
        "a create knows every service it will run",
        None,
        config(),
        Expect {
            unknown: &["id", "hosts", "master_url", "zookeeper_connect", "ssh_private_key_path", "config_files"],
            known: vec![
                ("services_status", all_running()),
                ("status", Value::from("RUNNING")),
                ("restarts", strings(&[])),
                ("components", applied().encode().as_mapping().unwrap()["components"].clone()),
                ("start_order", applied().encode().as_mapping().unwrap()["start_order"].clone()),
            ],
            ..Expect::default()
        },
    ));

    let unchanged = applied().encode();
    failures.extend(check(
        "an applied cluster plans no change",
        Some(applied()),
        config(),
        Expect {
            known: unchanged.as_mapping().unwrap().iter().map(|(k, v)| (leak(k), v.clone())).collect(),
            ..Expect::default()
        },
    ));

    let mut drifted = applied();
    drifted.status = Some("DEGRADED".into());
    drifted.services_status.as_mut().unwrap().insert(SERVICES[0].into(), "stopped".into());
    failures.extend(check(
        "a stopped worker plans it running again, hosts kept",
        Some(drifted),
        config(),
        Expect {
            known: vec![
                ("services_status", all_running()),
                ("status", Value::from("RUNNING")),
                ("hosts", applied().encode().as_mapping().unwrap()["hosts"].clone()),
            ],
            ..Expect::default()
        },
    ));

    let mut relinked = applied();
    relinked.installed_versions = Some(installed(&[("analytics-core-0/SPARK", "4.2.0")]));
    failures.extend(check(
        "a component linked at another version on a node is linked back, its services restarted",
        Some(relinked.clone()),
        config(),
        Expect {
            known: vec![
                ("installed_versions", applied().encode().as_mapping().unwrap()["installed_versions"].clone()),
                ("hosts", applied().encode().as_mapping().unwrap()["hosts"].clone()),
                ("restarts", strings(&["analytics-core-0/spark-worker"])),
            ],
            ..Expect::default()
        },
    ));
    relinked.installed_versions = None;
    failures.extend(check(
        "a state from before installed_versions plans them, restarting nothing",
        Some(relinked),
        config(),
        Expect {
            known: vec![
                ("installed_versions", applied().encode().as_mapping().unwrap()["installed_versions"].clone()),
                ("restarts", strings(&[])),
            ],
            ..Expect::default()
        },
    ));

    let mut broken = applied();
    broken.services_status.as_mut().unwrap().insert(SERVICES[1].into(), "host broken: sshd is gone".into());
    failures.extend(check(
        "a broken host is made again: new host key, maybe a new address",
        Some(broken),
        config(),
        Expect {
            unknown: &["hosts", "config_files", "restarts"],
            known: vec![("services_status", all_running()), ("master_url", Value::from("spark://10.232.0.2:7077"))],
            ..Expect::default()
        },
    ));

    let mut three = config();
    three.node_group.get_mut("core").unwrap().count = 3;
    failures.extend(check(
        "scale out: new hosts, the master stays",
        Some(applied()),
        three,
        Expect {
            unknown: &["hosts"],
            known: vec![
                ("master_url", Value::from("spark://10.232.0.2:7077")),
                ("zookeeper_connect", Value::from("10.232.0.2:2181")),
            ],
            ..Expect::default()
        },
    ));

    let mut masters = config();
    masters.node_group.get_mut("master").unwrap().count = 3;
    failures.extend(check(
        "the masters are not resized in place",
        Some(applied()),
        masters,
        Expect {
            replace: &["node_group"],
            unknown: &["hosts", "master_url", "zookeeper_connect"],
            ..Expect::default()
        },
    ));

    let mut memory = config();
    memory.config.get_mut("spark-defaults.conf").unwrap().values.insert("spark.executor.memory".into(), "640m".into());
    failures.extend(check(
        "a configuration change is an update of known values that restarts the services reading the file",
        Some(applied()),
        memory.clone(),
        Expect {
            known: vec![
                ("hosts", applied().encode().as_mapping().unwrap()["hosts"].clone()),
                (
                    "restarts",
                    strings(&[
                        "analytics-core-0/spark-worker",
                        "analytics-core-1/spark-worker",
                        "analytics-master-0/spark-history-server",
                        "analytics-master-0/spark-master",
                    ]),
                ),
            ],
            ..Expect::default()
        },
    ));
    let changed = planned_attribute(applied(), memory, "config_files");
    let golden = applied().config_files.unwrap();
    assert_eq!(
        changed.as_str().unwrap(),
        golden.replace("spark.executor.memory 512m", "spark.executor.memory 640m"),
        "the files are planned with the new value, on every node"
    );

    let mut edited = applied();
    let files = edited.config_files.take().unwrap();
    assert!(files.contains("export SPARK_WORKER_CORES='1'\n"), "{files}");
    let (head, tail) = files.split_once("==> analytics-core-1:").unwrap();
    edited.config_files = Some(format!(
        "{}==> analytics-core-1:{tail}",
        head.replace("SPARK_WORKER_CORES='1'", "SPARK_WORKER_CORES='8'")
    ));
    failures.extend(check(
        "a file edited on a node is planned back, and the running services reading it restart",
        Some(edited.clone()),
        config(),
        Expect {
            known: vec![
                ("config_files", Value::from(golden.as_str())),
                ("restarts", strings(&["analytics-core-0/spark-worker"])),
            ],
            ..Expect::default()
        },
    ));
    edited.services_status.as_mut().unwrap().insert(SERVICES[0].into(), "stopped".into());
    failures.extend(check(
        "a stopped reader is started, not restarted",
        Some(edited),
        config(),
        Expect { known: vec![("restarts", strings(&[]))], ..Expect::default() },
    ));

    let mut restarted = applied();
    restarted.restarts = Some(vec!["analytics-core-0/spark-worker".into()]);
    failures.extend(check(
        "an unchanged cluster keeps what the last apply restarted",
        Some(restarted),
        config(),
        Expect { known: vec![("restarts", strings(&["analytics-core-0/spark-worker"]))], ..Expect::default() },
    ));

    let mut older = applied();
    older.config_files = None;
    failures.extend(check(
        "a state from before config_files plans them, restarting nothing",
        Some(older),
        config(),
        Expect {
            known: vec![("config_files", Value::from(golden.as_str())), ("restarts", strings(&[]))],
            ..Expect::default()
        },
    ));

    // Adding or removing a service changes the cluster in place: the services that start or
    // stop are the keys `services_status` gains or loses, the start order shows them.
    let mut with_thrift = config();
    with_thrift.services = vec!["SPARK".into(), "SPARK_THRIFT".into()];
    let thrift_status: Value = Value::Map(
        SERVICES
            .iter()
            .chain(&["analytics-master-0/metastore-db", "analytics-master-0/spark-thrift-server"])
            .map(|key| (key.to_string(), Value::from("running")))
            .collect(),
    );
    let thrift_order = Value::List(vec![
        strings(&["zookeeper-server", "metastore-db"]),
        strings(&["spark-master"]),
        strings(&["spark-worker", "spark-history-server", "spark-thrift-server"]),
    ]);
    failures.extend(check(
        "SPARK_THRIFT added: an update in place starting its database and server",
        Some(applied()),
        with_thrift.clone(),
        Expect {
            // The files name the metastore's password, made by the apply.
            unknown: &["config_files", "restarts"],
            known: vec![
                ("services_status", thrift_status.clone()),
                ("start_order", thrift_order),
                ("sql_jdbc_url", Value::from("jdbc:hive2://10.232.0.2:10000/default")),
                ("master_url", Value::from("spark://10.232.0.2:7077")),
            ],
            ..Expect::default()
        },
    ));
    let mut thrift_applied = applied();
    thrift_applied.services = with_thrift.services.clone();
    thrift_applied.services_status =
        Some(thrift_status.as_mapping().unwrap().keys().map(|key| (key.clone(), "running".to_string())).collect());
    thrift_applied.sql_jdbc_url = Some("jdbc:hive2://10.232.0.2:10000/default".into());
    failures.extend(check(
        "SPARK_THRIFT removed: an update in place stopping them",
        Some(thrift_applied),
        config(),
        Expect {
            known: vec![
                ("services_status", all_running()),
                ("start_order", applied().encode().as_mapping().unwrap()["start_order"].clone()),
                ("sql_jdbc_url", Value::Null),
            ],
            ..Expect::default()
        },
    ));
    failures.extend(check(
        "an unchanged cluster without SPARK_THRIFT plans no endpoint",
        Some(applied()),
        config(),
        Expect { known: vec![("sql_jdbc_url", Value::Null)], ..Expect::default() },
    ));

    for (name, change, attribute, text) in [
        ("unknown release", ("release", "STRATA-1.0.2"), "release", "STRATA-1.0.1"),
        ("EMR releases are data here", ("release", "EMR-3.2.0"), "release", "cannot be installed on this machine"),
        ("PostgreSQL on its own", ("services", "POSTGRESQL"), "services", "comes along with SPARK_THRIFT"),
        ("unknown component", ("services", "HBASE"), "services", "is not a component of STRATA-1.0.0"),
        ("unknown metastore", ("metastore", "m-1"), "metastore", "there is no emr_metastore m-1 on this machine"),
        ("even masters", ("master", "2"), "node_group.master.count", "use an odd count"),
        ("negative count", ("core", "-1"), "node_group.core.count", "0 to 32"),
        ("unknown config file", ("config", "hdfs-site.xml"), "config.hdfs-site.xml", "no configuration file"),
    ] {
        let mut cluster = config();
        match change {
            ("release", value) => cluster.release = value.into(),
            ("services", value) => cluster.services = vec![value.into()],
            ("metastore", value) => cluster.metastore = Some(value.into()),
            ("config", value) => {
                cluster.config.insert(value.into(), ConfigFile { values: BTreeMap::new() });
            }
            (group, count) => cluster.node_group.get_mut(group).unwrap().count = count.parse().unwrap(),
        }
        failures.extend(check(name, None, cluster, Expect { error: Some((attribute, text)), ..Expect::default() }));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A release change: a patch-level one (STRATA-1.0.0 <-> STRATA-1.0.1) is an update in place
/// whose files are STRATA-1.0.1's and whose restarts are the readers of the files that change
/// (spark-defaults.conf: not ZooKeeper); any other is a replacement; a release this machine
/// cannot install is refused whatever the prior one.
#[test]
fn release_changes() {
    let mut failures = Vec::new();
    let mut patched = config();
    patched.release = "STRATA-1.0.1".into();
    let daemons = [
        "analytics-core-0/spark-worker",
        "analytics-core-1/spark-worker",
        "analytics-master-0/spark-history-server",
        "analytics-master-0/spark-master",
    ];
    let spark_daemons = strings(&daemons);
    failures.extend(check(
        "STRATA-1.0.0 -> STRATA-1.0.1 is an in-place rolling upgrade",
        Some(applied()),
        patched.clone(),
        Expect {
            known: vec![
                ("hosts", applied().encode().as_mapping().unwrap()["hosts"].clone()),
                ("id", Value::from("c0123456789ab")),
                ("components", applied().encode().as_mapping().unwrap()["components"].clone()),
                ("restarts", spark_daemons.clone()),
            ],
            ..Expect::default()
        },
    ));
    let reason = planned_attribute(applied(), patched.clone(), "release_change");
    let reason = reason.as_str().unwrap_or_default();
    assert!(
        reason.starts_with("STRATA-1.0.0 -> STRATA-1.0.1: a patch-level upgrade (same 1.0: fixes only"),
        "{reason}"
    );
    let files = planned_attribute(applied(), patched.clone(), "config_files");
    let golden = applied().config_files.unwrap();
    let fixed = "spark.executor.memory 512m\nspark.history.fs.cleaner.enabled true\n\
                 spark.history.fs.cleaner.maxAge 7d\nspark.decommission.enabled true\n\
                 spark.storage.decommission.enabled true\n";
    assert_eq!(
        files.as_str().unwrap(),
        golden.replace("spark.executor.memory 512m\n", fixed),
        "every node's spark-defaults.conf gets STRATA-1.0.1's defaults, nothing else changes"
    );

    // Once applied, the next plan changes nothing (the reason is kept, like `restarts`).
    let mut upgraded = applied();
    upgraded.release = "STRATA-1.0.1".into();
    upgraded.config_files = Some(files.as_str().unwrap().to_string());
    upgraded.restarts = Some(daemons.iter().map(|daemon| daemon.to_string()).collect());
    upgraded.release_change = Some(reason.to_string());
    failures.extend(check(
        "an upgraded cluster plans no change",
        Some(upgraded.clone()),
        patched.clone(),
        Expect {
            known: upgraded.encode().as_mapping().unwrap().iter().map(|(k, v)| (leak(k), v.clone())).collect(),
            ..Expect::default()
        },
    ));
    failures.extend(check(
        "STRATA-1.0.1 -> STRATA-1.0.0 is a patch-level downgrade, in place too",
        Some(upgraded),
        config(),
        Expect { known: vec![("restarts", spark_daemons)], ..Expect::default() },
    ));
    for (from, words) in [
        ("STRATA-0.9.0", "a major change"),
        ("EMR-3.2.0", "different lines (EMR and STRATA)"),
        ("STRATA-1.1.0", "a downgrade across minor versions"),
        ("STRATA-1.0.2", "STRATA-1.0.2 is not in the release catalog"),
    ] {
        let mut prior = applied();
        prior.release = from.into();
        failures.extend(check(
            &format!("{from} -> STRATA-1.0.1 replaces the cluster"),
            Some(prior.clone()),
            patched.clone(),
            Expect { replace: &["release"], ..Expect::default() },
        ));
        let provider = strata_provider_emr::provider();
        let request =
            PlanRequest { type_name: "emr_cluster".into(), prior: Some(prior.encode()), config: patched.encode() };
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let response = runtime.block_on(provider.plan(request)).unwrap();
        assert_eq!(response.requires_replace, ["release"], "{from}");
        assert!(
            upgrade_reason(from, "STRATA-1.0.1").contains(words),
            "{from}: {}",
            upgrade_reason(from, "STRATA-1.0.1")
        );
    }
    let mut emr = config();
    emr.release = "EMR-3.2.0".into();
    failures.extend(check(
        "STRATA-1.0.0 -> EMR-3.2.0: refused, nothing here installs it",
        Some(applied()),
        emr,
        Expect { error: Some(("release", "cannot be installed on this machine")), ..Expect::default() },
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn upgrade_reason(from: &str, to: &str) -> String {
    strata_provider_emr::upgrade::release_change(from, to).reason().unwrap_or_default().to_string()
}

/// A bootstrap action's script is read at plan time (its sha256 planned); any change of an
/// action replaces the cluster, since actions run only at create; a missing script is an error
/// on its attribute.
#[test]
fn bootstrap_actions_are_read_at_plan_and_replace_when_changed() {
    let dir = std::env::temp_dir().join(format!("strata-emr-bootstrap-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("mark.sh");
    std::fs::write(&script, "#!/bin/sh\ntouch /var/lib/strata/marker\n").unwrap();
    let action = BootstrapAction {
        script: script.to_string_lossy().into_owned(),
        args: Some(vec!["a".into()]),
        when: "AFTER_STARTED".into(),
        on_failure: "ABORT".into(),
        script_sha256: None,
    };
    let with = |action: BootstrapAction| {
        let mut cluster = config();
        cluster.bootstrap_action.insert("mark".into(), action);
        cluster
    };
    let provider = strata_provider_emr::provider();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let plan = |prior: Option<Cluster>, config: Cluster| {
        let request =
            PlanRequest { type_name: "emr_cluster".into(), prior: prior.map(|p| p.encode()), config: config.encode() };
        runtime.block_on(provider.plan(request))
    };
    let created = plan(None, with(action.clone())).unwrap();
    let planned = Cluster::decode(&created.planned).unwrap();
    let digest = strata_deploy::sha256_hex(b"#!/bin/sh\ntouch /var/lib/strata/marker\n");
    assert_eq!(planned.bootstrap_action["mark"].script_sha256.as_deref(), Some(digest.as_str()));

    let mut prior = applied();
    prior.bootstrap_action = planned.bootstrap_action.clone();
    let same = plan(Some(prior.clone()), with(action.clone())).unwrap();
    assert!(same.requires_replace.is_empty(), "{:?}", same.requires_replace);
    let mut other_args = action.clone();
    other_args.args = Some(vec!["b".into()]);
    assert_eq!(plan(Some(prior.clone()), with(other_args)).unwrap().requires_replace, ["bootstrap_action"]);
    std::fs::write(&script, "#!/bin/sh\nexit 1\n").unwrap();
    assert_eq!(plan(Some(prior.clone()), with(action.clone())).unwrap().requires_replace, ["bootstrap_action"]);
    assert_eq!(plan(Some(prior), config()).unwrap().requires_replace, ["bootstrap_action"], "removed");
    assert!(plan(Some(applied()), config()).unwrap().requires_replace.is_empty(), "none before, none now");

    let mut missing = action;
    missing.script = dir.join("missing.sh").to_string_lossy().into_owned();
    let error = plan(None, with(missing)).unwrap_err();
    assert_eq!(error.attribute.as_deref(), Some("bootstrap_action.mark.script"), "{}", error.message);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn scale_out_leaves_the_master_groups_addresses_known() {
    let provider = strata_provider_emr::provider();
    let mut three = config();
    three.node_group.get_mut("core").unwrap().count = 3;
    let request =
        PlanRequest { type_name: "emr_cluster".into(), prior: Some(applied().encode()), config: three.encode() };
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let planned = runtime.block_on(provider.plan(request)).unwrap().planned;
    assert!(!node_group_ips(&planned, "core").is_wholly_known());
    assert_eq!(node_group_ips(&planned, "master"), Value::List(vec![Value::from("10.232.0.2")]));
}

#[test]
fn the_schema_keeps_the_builtin_attributes() {
    let builtin = strata_schema::builtin_catalog();
    let builtin = builtin.provider("emr").expect("the built-in catalog has emr");
    let served = strata_provider_emr::provider().schema();
    let mut failures = Vec::new();
    for (type_name, resource) in &builtin.resources {
        let Some(ours) = served.resources.get(type_name) else {
            failures.push(format!("{type_name} is not served"));
            continue;
        };
        for (name, attribute) in &resource.block.attributes {
            match ours.block.attributes.get(name) {
                None => failures.push(format!("{type_name}.{name} is missing")),
                Some(ours) if ours.ty != attribute.ty => {
                    failures.push(format!("{type_name}.{name}: {:?} instead of {:?}", ours.ty, attribute.ty))
                }
                Some(ours) if ours.required && !attribute.required => {
                    failures.push(format!("{type_name}.{name} became required"))
                }
                Some(_) => {}
            }
        }
        for name in resource.block.blocks.keys().filter(|name| *name != "timeouts") {
            if !ours.block.blocks.contains_key(name) {
                failures.push(format!("{type_name} block {name} is missing"));
            }
        }
    }
    assert!(["emr_cluster", "emr_job", "emr_metastore"].iter().all(|name| served.resources.contains_key(*name)));
    let password = &served.resources["emr_metastore"].block.attributes["password"];
    assert!(password.sensitive && password.computed, "the metastore password is sensitive");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A metastore's create plan knows what does not depend on its host; its arguments are checked.
#[test]
fn metastore_plans() {
    let provider = strata_provider_emr::provider();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let plan = |name: &str, instance_type: Option<&str>| {
        let config = Metastore {
            name: name.into(),
            instance_type: instance_type.unwrap_or("local.c1m2").into(),
            release: "STRATA-1.0.0".into(),
            id: None,
            host: None,
            port: None,
            database: None,
            username: None,
            password: None,
            jdbc_url: None,
            warehouse_dir: None,
            status: None,
            services_status: None,
            ssh_private_key_path: None,
            ssh_host_key_fingerprint: None,
        };
        let request = PlanRequest { type_name: "emr_metastore".into(), prior: None, config: config.encode() };
        runtime.block_on(provider.plan(request))
    };
    let planned = plan("shared", None).unwrap().planned;
    let planned = planned.as_mapping().unwrap();
    assert_eq!(planned["instance_type"], Value::from("local.c1m2"));
    assert_eq!(planned["release"], Value::from("STRATA-1.0.0"));
    assert_eq!(planned["database"], Value::from("metastore"));
    assert_eq!(planned["username"], Value::from("hive"));
    assert_eq!(planned["status"], Value::from("RUNNING"));
    assert_eq!(
        planned["services_status"],
        Value::Map([("shared-db-0/metastore-db".to_string(), Value::from("running"))].into())
    );
    for attribute in ["id", "host", "jdbc_url", "password", "warehouse_dir"] {
        assert!(!planned[attribute].is_wholly_known(), "{attribute} is known after apply");
    }
    for (name, instance_type, attribute) in [("Shared", None, "name"), ("shared", Some("local.huge"), "instance_type")]
    {
        let error = plan(name, instance_type).unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some(attribute), "{}", error.message);
    }
}

/// Attribute names as `&'static str` for the table (a test leaks a few bytes).
fn leak(name: &str) -> &'static str {
    Box::leak(name.to_string().into_boxed_str())
}
