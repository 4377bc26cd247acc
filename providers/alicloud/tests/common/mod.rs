//! What the tests share: an emulator with the provider pointed at it ([`Harness`]), values
//! shaped by a resource's schema ([`config`]), fixtures, and the official Python SDK in a venv
//! ([`python_sdk`]).

#![allow(dead_code)]

pub mod hosts;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use strata_provider::{
    ApplyRequest, FindRequest, PlanRequest, Progress, ProgressSink, Provider, ProviderError, ReadRequest,
};
use strata_provider_alicloud::client::RetryPolicy;
use strata_provider_alicloud::credentials::Credentials;
use strata_provider_alicloud::emulator::{Emulator, EmulatorConfig, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET};
use strata_provider_alicloud::resources::emr_cluster::EmrCluster;
use strata_provider_alicloud::{Options, PollPolicy};
use strata_provider_emr::model::{ConfigFile, NodeGroup};
use strata_provider_sdk::TypedProvider;
use strata_value::Value;

pub const REGION: &str = "cn-hangzhou";
pub const ZONE: &str = "cn-hangzhou-h";
pub const IMAGE: &str = "ubuntu_22_04_x64_20G_alibase_20240130.vhd";
pub const INSTANCE_TYPE: &str = "ecs.g6.large";

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/alicloud").join(name)
}

pub fn public_key() -> String {
    std::fs::read_to_string(testdata("id_ed25519.pub")).unwrap().trim().to_owned()
}

/// Quick retries and polls, for an emulator on loopback.
pub fn fast_options(credentials: Credentials) -> Options {
    Options {
        credentials: Some(credentials),
        retry: RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(200),
            deadline: Duration::from_secs(10),
        },
        poll: PollPolicy {
            first: Duration::from_millis(20),
            max: Duration::from_millis(100),
            settle: Duration::from_secs(10),
        },
    }
}

pub fn test_credentials() -> Credentials {
    Credentials::new(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET)
}

/// An emulator and a configured provider that talks to it.
pub struct Harness {
    pub emulator: Emulator,
    pub provider: TypedProvider,
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::with(EmulatorConfig::default(), fast_options(test_credentials())).await
    }

    pub async fn with(config: EmulatorConfig, options: Options) -> Harness {
        let emulator = Emulator::start(config).await.expect("emulator on 127.0.0.1");
        let provider = strata_provider_alicloud::provider_with(options);
        let block = Value::Map(BTreeMap::from([
            ("region".to_owned(), Value::from(REGION)),
            ("endpoint".to_owned(), Value::from(emulator.endpoint())),
            ("profile".to_owned(), Value::Null),
        ]));
        provider.configure(block).await.expect("configure");
        Harness { emulator, provider }
    }

    /// A configuration of `type_name`: every attribute null but those given, nested blocks
    /// empty unless given.
    pub fn config(&self, type_name: &str, pairs: &[(&str, Value)]) -> Value {
        config(&self.provider, type_name, pairs)
    }

    pub async fn plan(&self, type_name: &str, prior: Option<Value>, config: Value) -> Result<Value, ProviderError> {
        let request = PlanRequest { type_name: type_name.into(), prior, config };
        Ok(self.provider.plan(request).await?.planned)
    }

    /// Plan, then apply a create (`prior` none) or an update of `prior` to `config`; the
    /// progress reports it made.
    async fn apply_reporting(
        &self,
        type_name: &str,
        prior: Option<Value>,
        config: Value,
        token: &str,
    ) -> (Result<Value, ProviderError>, Vec<Progress>) {
        let reports = Arc::new(Mutex::new(Vec::new()));
        let sink = {
            let reports = reports.clone();
            ProgressSink::new(move |progress| reports.lock().unwrap().push(progress))
        };
        let result = async {
            let planned = self.plan(type_name, prior.clone(), config.clone()).await?;
            let request = ApplyRequest {
                type_name: type_name.into(),
                prior,
                planned: Some(planned),
                config,
                idempotency_token: token.into(),
                progress: sink,
            };
            Ok(self.provider.apply(request).await?.new_state.expect("a created or updated object"))
        }
        .await;
        let reports = reports.lock().unwrap().clone();
        (result, reports)
    }

    /// Plan, then apply a create of `config`; the progress reports it made.
    pub async fn create_reporting(
        &self,
        type_name: &str,
        config: Value,
        token: &str,
    ) -> (Result<Value, ProviderError>, Vec<Progress>) {
        self.apply_reporting(type_name, None, config, token).await
    }

    pub async fn create(&self, type_name: &str, config: Value, token: &str) -> Result<Value, ProviderError> {
        self.create_reporting(type_name, config, token).await.0
    }

    pub async fn update(&self, type_name: &str, prior: Value, config: Value) -> Result<Value, ProviderError> {
        self.update_reporting(type_name, prior, config).await.0
    }

    /// Plan, then apply an update of `prior` to `config`; the progress reports it made.
    pub async fn update_reporting(
        &self,
        type_name: &str,
        prior: Value,
        config: Value,
    ) -> (Result<Value, ProviderError>, Vec<Progress>) {
        self.apply_reporting(type_name, Some(prior), config, "").await
    }

    pub async fn read(&self, type_name: &str, current: Value) -> Result<Option<Value>, ProviderError> {
        self.provider.read(ReadRequest { type_name: type_name.into(), current }).await
    }

    pub async fn delete(&self, type_name: &str, prior: Value) -> Result<(), ProviderError> {
        let request = ApplyRequest {
            type_name: type_name.into(),
            prior: Some(prior),
            planned: None,
            config: Value::Null,
            idempotency_token: String::new(),
            progress: ProgressSink::default(),
        };
        self.provider.apply(request).await.map(drop)
    }

    pub async fn find(&self, type_name: &str, token: &str, planned: Value) -> Result<Option<Value>, ProviderError> {
        let request = FindRequest { type_name: type_name.into(), idempotency_token: token.into(), planned };
        self.provider.find_by_token(request).await
    }

    /// A VPC, a vSwitch in it, a security group and a key pair: what instances need.
    pub async fn network(&self) -> Network {
        let vpc = self
            .create("alicloud_vpc", self.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into())]), "t-vpc")
            .await
            .unwrap();
        let vpc_id = text(&vpc, "id");
        let vswitch = self
            .create(
                "alicloud_vswitch",
                self.config(
                    "alicloud_vswitch",
                    &[
                        ("vpc_id", vpc_id.as_str().into()),
                        ("cidr_block", "10.0.1.0/24".into()),
                        ("zone_id", ZONE.into()),
                    ],
                ),
                "t-vsw",
            )
            .await
            .unwrap();
        let group = self
            .create(
                "alicloud_security_group",
                self.config("alicloud_security_group", &[("vpc_id", vpc_id.as_str().into())]),
                "t-sg",
            )
            .await
            .unwrap();
        let key = self
            .create(
                "alicloud_key_pair",
                self.config(
                    "alicloud_key_pair",
                    &[("key_name", "cluster".into()), ("public_key", public_key().into())],
                ),
                "t-key",
            )
            .await
            .unwrap();
        Network { vpc, vswitch, group, key }
    }

    /// An `alicloud_instance_group` configuration in `network`.
    pub fn group_config(&self, network: &Network, count: i64) -> Value {
        self.config(
            "alicloud_instance_group",
            &[
                ("instance_count", count.into()),
                ("instance_type", INSTANCE_TYPE.into()),
                ("image_id", IMAGE.into()),
                ("vswitch_id", text(&network.vswitch, "id").into()),
                ("security_group_id", text(&network.group, "id").into()),
                ("key_name", "cluster".into()),
            ],
        )
    }
}

/// What [`Harness::network`] made (states).
pub struct Network {
    pub vpc: Value,
    pub vswitch: Value,
    pub group: Value,
    pub key: Value,
}

/// A configuration of `type_name` in `provider`'s schema (see [`Harness::config`]).
pub fn config(provider: &TypedProvider, type_name: &str, pairs: &[(&str, Value)]) -> Value {
    let schema = provider.schema();
    let block = &schema.resources[type_name].block;
    let mut map: BTreeMap<String, Value> = block.attributes.keys().map(|name| (name.clone(), Value::Null)).collect();
    for name in block.blocks.keys() {
        map.insert(name.clone(), Value::List(Vec::new()));
    }
    for (name, value) in pairs {
        assert!(map.contains_key(*name), "{type_name} has no attribute {name}");
        map.insert((*name).to_owned(), value.clone());
    }
    Value::Map(map)
}

pub fn attr(value: &Value, name: &str) -> Value {
    value.peel().as_mapping().unwrap_or_else(|| panic!("not an object: {value:?}"))[name].clone()
}

pub fn text(value: &Value, name: &str) -> String {
    attr(value, name).peel().as_str().unwrap_or_else(|| panic!("{name} is not a string in {value:?}")).to_owned()
}

pub fn texts(value: &Value, name: &str) -> Vec<String> {
    match attr(value, name).peel() {
        Value::List(items) => items.iter().map(|item| item.as_str().unwrap().to_owned()).collect(),
        other => panic!("{name} is not a list: {other:?}"),
    }
}

/// The official Python SDKs in a venv under the target directory, made on first use; its
/// `python`: `aliyun-python-sdk-core` (the RPC signer, V1) and `alibabacloud-tea-openapi` (the
/// SDK core whose clients sign with V3). `None` (with a message) only when this machine has no
/// `python3` with `venv` and `pip`.
pub fn python_sdk() -> Option<PathBuf> {
    // Named after what it holds: a venv made for fewer packages is not reused.
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("alicloud-python-sdk-v1-v3");
    let python = venv.join("bin/python");
    if python.exists() {
        return Some(python);
    }
    let found = Command::new("python3").arg("-m").arg("pip").arg("--version").output();
    if !found.is_ok_and(|output| output.status.success()) {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED: no python3 with pip on this machine; the cross-check with Alibaba Cloud's Python SDK did not run\n",
        );
        return None;
    }
    // Built aside and renamed into place, so tests running at once never see half a venv.
    let building = venv.with_extension(format!("building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    let status = Command::new("python3").arg("-m").arg("venv").arg(&building).status().expect("python3 -m venv");
    assert!(status.success(), "python3 -m venv {} failed", building.display());
    let status = Command::new(building.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
        .args(["aliyun-python-sdk-core==2.16.1", "alibabacloud-tea-openapi==0.4.6"])
        .status()
        .expect("pip install");
    assert!(status.success(), "pip install of the Alibaba Cloud Python SDKs failed (PyPI must be reachable)");
    if std::fs::rename(&building, &venv).is_err() {
        // Another test made it first.
        let _ = std::fs::remove_dir_all(&building);
    }
    assert!(python.exists(), "{} missing after setup", python.display());
    Some(python)
}

/// Removes what earlier runs of the real-host tests (`/var/lib/strata/test-alicloud-*-<pid>-*`)
/// left when they were killed before their guards ran: hosts, their service launchers (in the
/// machine's `/etc`), clusters' shared directories, the state directories.
pub fn sweep_dead_runs() {
    let Ok(entries) = std::fs::read_dir("/var/lib/strata") else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("test-alicloud-") else { continue };
        let rest = rest.strip_prefix("emr-").or_else(|| rest.strip_prefix("hosts-")).unwrap_or(rest);
        let Some(pid) = rest.split('-').next().and_then(|pid| pid.parse::<u32>().ok()) else { continue };
        if Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let dir = entry.path();
        let listed = |sub: &str| -> Vec<String> {
            std::fs::read_dir(dir.join(sub))
                .map(|entries| {
                    entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect()
                })
                .unwrap_or_default()
        };
        let hosts = listed("hosts");
        if let Ok(launchers) = std::fs::read_dir("/etc/strata/services") {
            for launcher in launchers.flatten() {
                let file = launcher.file_name().to_string_lossy().into_owned();
                if hosts.iter().any(|id| file.ends_with(&format!("@{id}.sh"))) {
                    let _ = std::fs::remove_file(launcher.path());
                }
            }
        }
        for record in listed("emr/clusters") {
            if let Some(cluster) = record.strip_suffix(".json") {
                let _ = std::fs::remove_dir_all(Path::new("/srv/strata/clusters").join(cluster));
            }
        }
        let _ = strata_provider_local::gc(&dir, &[]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A node group of `count` `ecs.c6.large` instances.
pub fn node_group(role: &str, count: i64) -> NodeGroup {
    NodeGroup { role: role.into(), instance_type: "ecs.c6.large".into(), count, disk_size: None, private_ips: None }
}

/// `examples/alicloud-spark`'s cluster as configured (tests change what they need).
pub fn example_cluster() -> EmrCluster {
    EmrCluster {
        name: "analytics".into(),
        release: "STRATA-1.0.0".into(),
        services: vec!["ZOOKEEPER".into(), "SPARK".into()],
        metastore: None,
        node_group: [("master".to_string(), node_group("MASTER", 1)), ("core".to_string(), node_group("CORE", 2))]
            .into(),
        config: [(
            "spark-defaults.conf".to_string(),
            ConfigFile { values: [("spark.executor.memory".to_string(), "512m".to_string())].into() },
        )]
        .into(),
        vswitch_id: "vsw-em000000000000000001".into(),
        security_group_id: "sg-em000000000000000001".into(),
        image_id: IMAGE.into(),
        key_pair_name: "cluster".into(),
        private_key_path: "id_ed25519".into(),
        artifact_mirror: None,
        emr_state_dir: None,
        host_key_source: "console".into(),
        id: None,
        status: None,
        master_private_ip: None,
        master_url: None,
        master_ui_url: None,
        zookeeper_connect: None,
        hosts: None,
        services_status: None,
    }
}
