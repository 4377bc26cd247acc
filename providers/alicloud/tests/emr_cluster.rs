//! `alicloud_emr_cluster`'s plan through the `Provider` interface (no hosts needed): what a
//! create knows in advance, what forces replacement (node groups, `config`, an instance that is
//! gone), what is refused (a metastore, local instance types); and a create whose instances
//! cannot be launched, which leaves nothing behind.

mod common;

use common::{Harness, example_cluster as config, node_group as group};
use strata_provider::{ApplyRequest, PlanRequest, ProgressSink, Provider};
use strata_provider_alicloud::resources::emr_cluster::{EcsNode, EmrCluster};
use strata_provider_sdk::{Model, Value};

const TYPE: &str = "alicloud_emr_cluster";

/// That cluster once applied, every service running.
fn applied() -> EmrCluster {
    let mut cluster = config();
    let node = |name: &str, ip: &str, role: &str, group: &str| EcsNode {
        name: name.into(),
        ip: ip.into(),
        role: role.into(),
        node_group: group.into(),
        instance_id: format!("i-{name}"),
        ssh_host_key_fingerprint: "SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI".into(),
    };
    cluster.hosts = Some(vec![
        node("analytics-master-0", "10.0.1.2", "MASTER", "master"),
        node("analytics-core-0", "10.0.1.3", "CORE", "core"),
        node("analytics-core-1", "10.0.1.4", "CORE", "core"),
    ]);
    cluster.node_group.get_mut("master").unwrap().private_ips = Some(vec!["10.0.1.2".into()]);
    cluster.node_group.get_mut("core").unwrap().private_ips = Some(vec!["10.0.1.3".into(), "10.0.1.4".into()]);
    cluster.id = Some("c0123456789ab".into());
    cluster.status = Some("RUNNING".into());
    cluster.master_private_ip = Some("10.0.1.2".into());
    cluster.master_url = Some("spark://10.0.1.2:7077".into());
    cluster.master_ui_url = Some("http://10.0.1.2:8080".into());
    cluster.zookeeper_connect = Some("10.0.1.2:2181".into());
    cluster.services_status = Some(
        [
            "analytics-core-0/spark-worker",
            "analytics-core-1/spark-worker",
            "analytics-master-0/spark-history-server",
            "analytics-master-0/spark-master",
            "analytics-master-0/zookeeper-server",
        ]
        .iter()
        .map(|key| (key.to_string(), "running".to_string()))
        .collect(),
    );
    cluster
}

/// Plans `config` over `prior`: the attributes requiring replacement and the planned value, or
/// the error's attribute and message.
async fn plan(
    harness: &Harness,
    prior: Option<EmrCluster>,
    config: EmrCluster,
) -> Result<(Vec<String>, Value), (Option<String>, String)> {
    let request = PlanRequest { type_name: TYPE.into(), prior: prior.map(|p| p.encode()), config: config.encode() };
    match harness.provider.plan(request).await {
        Ok(response) => Ok((response.requires_replace, response.planned)),
        Err(error) => Err((error.attribute, error.message)),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn plans_know_the_services_and_replace_what_cannot_change_in_place() {
    let harness = Harness::start().await;

    let (replace, planned) = plan(&harness, None, config()).await.unwrap();
    assert!(replace.is_empty(), "{replace:?}");
    let status = common::attr(&planned, "services_status");
    let status = status.as_mapping().expect("services_status is known at plan time");
    assert_eq!(status.len(), 5);
    assert_eq!(status["analytics-core-1/spark-worker"], Value::from("running"));

    let (replace, _) = plan(&harness, Some(applied()), config()).await.unwrap();
    assert!(replace.is_empty(), "no change: {replace:?}");

    // Scaling CORE in place: the hosts and the core group's addresses are unknown until apply.
    let mut more = config();
    more.node_group.get_mut("core").unwrap().count = 3;
    let (replace, planned) = plan(&harness, Some(applied()), more).await.unwrap();
    assert!(replace.is_empty(), "scaling CORE is done in place: {replace:?}");
    assert!(!common::attr(&planned, "hosts").is_known(), "{planned:?}");
    assert!(common::attr(&planned, "master_url").is_known(), "the master stays: {planned:?}");

    // The MASTER group's size, a group added or removed (its role is `force_new`, as for
    // emr_cluster) and any group's instance type replace the cluster.
    let mut tasks = config();
    tasks.node_group.insert("task".into(), group("TASK", 1));
    let (replace, _) = plan(&harness, Some(applied()), tasks).await.unwrap();
    assert_eq!(replace, ["node_group"], "a new group replaces the cluster");
    let mut masters = config();
    masters.node_group.get_mut("master").unwrap().count = 3;
    let (replace, _) = plan(&harness, Some(applied()), masters).await.unwrap();
    assert_eq!(replace, ["node_group"], "the ZooKeeper ensemble is not resized in place");
    let mut bigger = config();
    bigger.node_group.get_mut("core").unwrap().instance_type = "ecs.g6.xlarge".into();
    let (replace, _) = plan(&harness, Some(applied()), bigger).await.unwrap();
    assert_eq!(replace, ["node_group"], "an instance type is not changed in place");

    // Configuration changes roll out in place (apply restarts the services reading them).
    let mut tuned = config();
    tuned.config.get_mut("spark-defaults.conf").unwrap().values.insert("spark.executor.memory".into(), "1g".into());
    let (replace, planned) = plan(&harness, Some(applied()), tuned).await.unwrap();
    assert!(replace.is_empty(), "configuration changes are rolled out in place: {replace:?}");
    assert!(common::attr(&planned, "hosts").is_known(), "the hosts stay: {planned:?}");

    // An instance that is gone is launched again in place; a lost master makes its addresses unknown.
    let mut lost = applied();
    lost.services_status.as_mut().unwrap().insert("analytics-core-1/spark-worker".into(), "host gone".into());
    let (replace, planned) = plan(&harness, Some(lost), config()).await.unwrap();
    assert!(replace.is_empty(), "an instance that is gone is remade in place: {replace:?}");
    assert!(!common::attr(&planned, "hosts").is_known(), "{planned:?}");
    assert!(common::attr(&planned, "master_url").is_known(), "{planned:?}");
    let mut lost_master = applied();
    lost_master
        .services_status
        .as_mut()
        .unwrap()
        .insert("analytics-master-0/spark-master".into(), "host stopped".into());
    let (replace, planned) = plan(&harness, Some(lost_master), config()).await.unwrap();
    assert!(replace.is_empty(), "{replace:?}");
    assert!(!common::attr(&planned, "master_url").is_known(), "{planned:?}");

    let mut shared = config();
    shared.metastore = Some("m0123456789ab".into());
    let (attribute, message) = plan(&harness, None, shared).await.unwrap_err();
    assert_eq!(attribute.as_deref(), Some("metastore"), "{message}");

    let mut local = config();
    local.node_group.get_mut("core").unwrap().instance_type = "local.c1m2".into();
    let (attribute, message) = plan(&harness, None, local).await.unwrap_err();
    assert_eq!(attribute.as_deref(), Some("node_group.core.instance_type"), "{message}");
    assert!(message.contains("not an ECS instance type"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_that_cannot_launch_leaves_nothing() {
    let harness = Harness::start().await;
    let network = harness.network().await;
    let key = tempfile::NamedTempFile::new().unwrap();
    let mut cluster = config();
    cluster.vswitch_id = common::text(&network.vswitch, "id");
    cluster.security_group_id = common::text(&network.group, "id");
    cluster.private_key_path = key.path().to_string_lossy().into_owned();
    // Node groups launch in name order: the core group's instances are launched, then the
    // master group's type does not exist. Plan refuses an unknown type, so the plan is made
    // with a valid one and the type changed after (as if withdrawn between plan and apply).
    cluster.node_group.get_mut("core").unwrap().instance_type = "ecs.g6.large".into();
    let mut planned = harness
        .provider
        .plan(PlanRequest { type_name: TYPE.into(), prior: None, config: cluster.encode() })
        .await
        .unwrap()
        .planned;
    cluster.node_group.get_mut("master").unwrap().instance_type = "ecs.nonexistent.large".into();
    if let Value::Map(top) = &mut planned
        && let Some(Value::Map(groups)) = top.get_mut("node_group")
        && let Some(Value::Map(master)) = groups.get_mut("master")
    {
        master.insert("instance_type".into(), Value::from("ecs.nonexistent.large"));
    }
    let request = ApplyRequest {
        type_name: TYPE.into(),
        prior: None,
        planned: Some(planned),
        config: cluster.encode(),
        idempotency_token: "t-emr".into(),
        progress: ProgressSink::new(|_| {}),
    };
    let Err(error) = harness.provider.apply(request).await else {
        // Only when this machine lacks the release's components is the create refused
        // before anything is launched, which is checked the same way below.
        panic!("a create with an unknown instance type succeeded");
    };
    let message = error.message.clone();
    assert!(!error.outcome_unknown, "{message}");
    if message.contains("not installed on this machine") {
        assert_eq!(harness.emulator.successes("RunInstances"), 0, "{message}");
    } else {
        assert_eq!(error.attribute.as_deref(), Some("node_group.master.instance_type"), "{message}");
        assert!(message.contains("InvalidInstanceType.NotFound"), "{message}");
        assert!(message.contains("The cluster's instances were deleted."), "{message}");
        assert_eq!(harness.emulator.successes("RunInstances"), 1, "the core group's");
    }
    assert_eq!(harness.emulator.inventory().instances, 0, "nothing is left");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_artifact_mirror_must_be_an_http_base_url() {
    let harness = Harness::start().await;
    let with = |mirror: &str| EmrCluster { artifact_mirror: Some(mirror.into()), ..config() };
    assert!(plan(&harness, None, with("http://10.0.1.1:8000/strata")).await.is_ok());
    let (attribute, message) = plan(&harness, None, with("ftp://user:secret@mirror/strata")).await.unwrap_err();
    assert_eq!(attribute.as_deref(), Some("artifact_mirror"));
    assert!(message.contains("\"ftp://***@mirror/strata\" is not an http:// or https:// URL"), "{message}");
    assert!(!message.contains("secret"), "{message}");
}
