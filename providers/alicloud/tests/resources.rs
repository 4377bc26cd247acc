//! Every resource through the `Provider` trait, against the emulator on loopback: create, read,
//! update, delete, `find_by_token`, `ClientToken` idempotency, retries, error messages.

mod common;

use common::{Harness, attr, fast_options, public_key, text, texts};
use strata_provider_alicloud::credentials::Credentials;
use strata_provider_alicloud::emulator::{EmulatorConfig, Fault, TEST_ACCESS_KEY_ID};
use strata_value::{Type, Value};

#[tokio::test]
async fn vpc_create_read_rename_delete() {
    let h = Harness::start().await;
    let config = h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into()), ("name", "main".into())]);
    let planned = h.plan("alicloud_vpc", None, config.clone()).await.unwrap();
    assert_eq!(attr(&planned, "id"), Value::Unknown(Type::String));

    let vpc = h.create("alicloud_vpc", config, "tok-vpc").await.unwrap();
    let id = text(&vpc, "id");
    assert!(id.starts_with("vpc-"), "{id}");
    assert_eq!(h.read("alicloud_vpc", vpc.clone()).await.unwrap(), Some(vpc.clone()));

    let renamed = h
        .update(
            "alicloud_vpc",
            vpc.clone(),
            h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into()), ("name", "renamed".into())]),
        )
        .await
        .unwrap();
    assert_eq!(text(&renamed, "name"), "renamed");
    assert_eq!(text(&h.read("alicloud_vpc", vpc.clone()).await.unwrap().unwrap(), "name"), "renamed");

    h.delete("alicloud_vpc", renamed.clone()).await.unwrap();
    assert_eq!(h.read("alicloud_vpc", renamed.clone()).await.unwrap(), None);
    h.delete("alicloud_vpc", renamed).await.expect("deleting what is gone is done");
    assert!(h.emulator.inventory().is_empty());
}

#[tokio::test]
async fn vswitch_create_read_delete_and_errors_name_the_attribute() {
    let h = Harness::start().await;
    let vpc = h
        .create("alicloud_vpc", h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into())]), "t1")
        .await
        .unwrap();
    let vpc_id = text(&vpc, "id");
    let config = |cidr: &str, zone: &str| {
        h.config(
            "alicloud_vswitch",
            &[("vpc_id", vpc_id.as_str().into()), ("cidr_block", cidr.into()), ("zone_id", zone.into())],
        )
    };
    let vswitch = h.create("alicloud_vswitch", config("10.0.1.0/24", "cn-hangzhou-i"), "t2").await.unwrap();
    assert!(text(&vswitch, "id").starts_with("vsw-"));
    assert_eq!(h.read("alicloud_vswitch", vswitch.clone()).await.unwrap(), Some(vswitch.clone()));

    let outside = h.create("alicloud_vswitch", config("10.9.0.0/24", "cn-hangzhou-i"), "t3").await.unwrap_err();
    assert_eq!(outside.attribute.as_deref(), Some("cidr_block"), "{outside:?}");
    assert!(
        outside.message.contains("InvalidCidrBlock.Malformed") && outside.message.contains("request id"),
        "{}",
        outside.message
    );
    let zone = h.create("alicloud_vswitch", config("10.0.2.0/24", "mars-1a"), "t4").await.unwrap_err();
    assert_eq!(zone.attribute.as_deref(), Some("zone_id"));
    assert!(zone.message.contains("InvalidZoneId.NotFound"), "{}", zone.message);

    // The VPC cannot go before its vSwitch: the API says so, and the provider waits only so long.
    h.delete("alicloud_vswitch", vswitch).await.unwrap();
    h.delete("alicloud_vpc", vpc).await.unwrap();
    assert!(h.emulator.inventory().is_empty());
}

fn rule(protocol: &str, ports: Option<&str>, cidr: &str) -> Value {
    let mut map = std::collections::BTreeMap::from([
        ("protocol".to_owned(), Value::from(protocol)),
        ("port_range".to_owned(), ports.map_or(Value::Null, Value::from)),
        ("cidr_ip".to_owned(), Value::from(cidr)),
    ]);
    for name in ["policy", "priority", "description"] {
        map.insert(name.to_owned(), Value::Null);
    }
    Value::Map(map)
}

#[tokio::test]
async fn security_group_rules_are_authorized_revoked_and_read_back() {
    let h = Harness::start().await;
    let vpc = h
        .create("alicloud_vpc", h.config("alicloud_vpc", &[("cidr_block", "192.168.0.0/16".into())]), "t1")
        .await
        .unwrap();
    let vpc_id = text(&vpc, "id");
    let config = |rules: Vec<Value>, description: &str| {
        h.config(
            "alicloud_security_group",
            &[
                ("vpc_id", vpc_id.as_str().into()),
                ("name", "cluster".into()),
                ("description", description.into()),
                ("ingress", Value::List(rules)),
            ],
        )
    };
    let ssh = rule("tcp", Some("22/22"), "0.0.0.0/0");
    let ping = rule("icmp", None, "192.168.0.0/16");
    let group =
        h.create("alicloud_security_group", config(vec![ssh.clone(), ping.clone()], "first"), "t2").await.unwrap();
    assert!(text(&group, "id").starts_with("sg-"));
    assert_eq!(h.read("alicloud_security_group", group.clone()).await.unwrap(), Some(group.clone()), "no drift");

    let web = rule("tcp", Some("8080/8080"), "192.168.0.0/16");
    let updated = h
        .update("alicloud_security_group", group.clone(), config(vec![ssh.clone(), web.clone()], "second"))
        .await
        .unwrap();
    let read = h.read("alicloud_security_group", updated.clone()).await.unwrap().unwrap();
    assert_eq!(attr(&read, "ingress"), Value::List(vec![ssh, web]), "icmp revoked, 8080 authorized");
    assert_eq!(text(&read, "description"), "second");

    h.delete("alicloud_security_group", read).await.unwrap();
    h.delete("alicloud_vpc", vpc).await.unwrap();
    assert!(h.emulator.inventory().is_empty());
}

#[tokio::test]
async fn key_pair_import_fingerprint_and_a_name_taken_by_someone_else() {
    let h = Harness::start().await;
    let config = h.config("alicloud_key_pair", &[("key_name", "cluster".into()), ("public_key", public_key().into())]);
    // `ImportKeyPair` has no ClientToken: its answer lost, the retry finds the key by its tag.
    h.emulator.inject(Fault::LoseAnswer { action: "ImportKeyPair".into(), count: 1 });
    let pair = h.create("alicloud_key_pair", config.clone(), "t1").await.unwrap();
    assert_eq!(h.emulator.successes("ImportKeyPair"), 0, "the one import that happened lost its answer");
    // As `ssh-keygen -l -E md5 -f testdata/alicloud/id_ed25519.pub` prints it.
    assert_eq!(text(&pair, "fingerprint"), "15:06:94:5a:76:b4:87:d9:49:88:67:37:6b:38:8b:0e");
    assert_eq!(h.read("alicloud_key_pair", pair.clone()).await.unwrap(), Some(pair.clone()));

    // A retried create (same token) adopts its own key; another create does not steal it.
    assert_eq!(h.create("alicloud_key_pair", config.clone(), "t1").await.unwrap(), pair);
    let taken = h.create("alicloud_key_pair", config.clone(), "t2").await.unwrap_err();
    assert_eq!(taken.attribute.as_deref(), Some("key_name"));
    assert!(taken.message.contains("KeyPair.AlreadyExist"), "{}", taken.message);
    assert_eq!(h.find("alicloud_key_pair", "t1", config.clone()).await.unwrap(), Some(pair.clone()));
    assert_eq!(h.find("alicloud_key_pair", "t2", config).await.unwrap(), None);

    let bad =
        h.config("alicloud_key_pair", &[("key_name", "other".into()), ("public_key", "ssh-rsa not-base64".into())]);
    let error = h.create("alicloud_key_pair", bad, "t3").await.unwrap_err();
    assert_eq!(error.attribute.as_deref(), Some("public_key"));

    h.delete("alicloud_key_pair", pair.clone()).await.unwrap();
    assert_eq!(h.read("alicloud_key_pair", pair).await.unwrap(), None);
}

#[tokio::test]
async fn instance_group_waits_for_running_reports_progress_scales_and_deletes() {
    let h = Harness::start().await;
    let network = h.network().await;
    let (group, reports) =
        h.create_reporting("alicloud_instance_group", h.group_config(&network, 3), "group-token-1").await;
    let group = group.unwrap();
    let ids = texts(&group, "instance_ids");
    let ips = texts(&group, "private_ips");
    assert_eq!(ids.len(), 3);
    assert_eq!(ips, ["10.0.1.1", "10.0.1.2", "10.0.1.3"]);
    assert_eq!(text(&group, "id"), "group-token-1");
    assert_eq!(text(&group, "zone_id"), common::ZONE);
    let last = reports.last().expect("progress reports");
    assert_eq!((last.message.as_str(), last.done, last.total), ("instances running", Some(3), Some(3)));
    assert!(reports.iter().any(|report| report.done < Some(3)), "it waited: {reports:?}");
    assert_eq!(h.read("alicloud_instance_group", group.clone()).await.unwrap(), Some(group.clone()));

    // Scale out: the count changes in place; new ids are planned unknown.
    let planned = h.plan("alicloud_instance_group", Some(group.clone()), h.group_config(&network, 5)).await.unwrap();
    assert!(matches!(attr(&planned, "instance_ids"), Value::Unknown(_)));
    let five = h.update("alicloud_instance_group", group.clone(), h.group_config(&network, 5)).await.unwrap();
    let five_ids = texts(&five, "instance_ids");
    assert_eq!(&five_ids[..3], &ids[..], "the first three are kept");
    assert_eq!(h.emulator.instance_ids().len(), 5);

    // Scale in: the newest go.
    let two = h.update("alicloud_instance_group", five.clone(), h.group_config(&network, 2)).await.unwrap();
    assert_eq!(texts(&two, "instance_ids"), &ids[..2]);
    assert_eq!(h.emulator.instance_ids(), {
        let mut kept = ids[..2].to_vec();
        kept.sort();
        kept
    });

    // An instance deleted outside Strata shows as a smaller count on refresh.
    delete_outside(&h, &ids[1]).await;
    let refreshed = h.read("alicloud_instance_group", two.clone()).await.unwrap().unwrap();
    assert_eq!(attr(&refreshed, "instance_count"), Value::from(1i64));

    h.delete("alicloud_instance_group", refreshed).await.unwrap();
    assert!(h.emulator.instance_ids().is_empty());
    h.delete("alicloud_key_pair", network.key).await.unwrap();
    h.delete("alicloud_security_group", network.group).await.unwrap();
    h.delete("alicloud_vswitch", network.vswitch).await.unwrap();
    h.delete("alicloud_vpc", network.vpc).await.unwrap();
    assert!(h.emulator.inventory().is_empty(), "{:?}", h.emulator.inventory());
}

/// Deletes one instance the way someone in the console would (a signed `DeleteInstances`), and
/// waits until it is gone.
async fn delete_outside(h: &Harness, id: &str) {
    let client = client_for(h);
    strata_provider_alicloud::api::instances::delete_instances(&client, &[id.to_owned()]).await.unwrap();
    while h.emulator.instance_ids().contains(&id.to_owned()) {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn client_for(h: &Harness) -> strata_provider_alicloud::client::Client {
    use strata_provider_alicloud::client::{Client, ClientConfig};
    Client::new(ClientConfig {
        region: common::REGION.into(),
        endpoint: Some(h.emulator.endpoint()),
        credentials: common::test_credentials(),
        retry: fast_options(common::test_credentials()).retry,
    })
    .unwrap()
}

#[tokio::test]
async fn the_same_token_never_makes_a_second_group() {
    let h = Harness::start().await;
    let network = h.network().await;
    let config = h.group_config(&network, 3);
    let first = h.create("alicloud_instance_group", config.clone(), "retried-token").await.unwrap();
    let again = h.create("alicloud_instance_group", config.clone(), "retried-token").await.unwrap();
    assert_eq!(texts(&first, "instance_ids"), texts(&again, "instance_ids"));
    assert_eq!(h.emulator.instance_ids().len(), 3, "RunInstances with one ClientToken launched once");

    // After an interrupted create, the engine asks for what the token made.
    let found = h.find("alicloud_instance_group", "retried-token", config.clone()).await.unwrap().unwrap();
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids
    };
    assert_eq!(sorted(texts(&found, "instance_ids")), sorted(texts(&first, "instance_ids")));
    assert_eq!(attr(&found, "instance_count"), Value::from(3i64));
    assert_eq!(text(&found, "id"), "retried-token");
    assert_eq!(h.find("alicloud_instance_group", "never-used", config).await.unwrap(), None);
}

#[tokio::test]
async fn a_lost_answer_and_throttling_are_retried_without_duplicates() {
    let h = Harness::start().await;
    let network = h.network().await;
    h.emulator.inject(Fault::Throttle { count: 2 });
    h.emulator.inject(Fault::LoseAnswer { action: "RunInstances".into(), count: 1 });
    let group = h.create("alicloud_instance_group", h.group_config(&network, 3), "lost").await.unwrap();
    assert_eq!(texts(&group, "instance_ids").len(), 3);
    assert_eq!(h.emulator.instance_ids().len(), 3, "the retried RunInstances returned the same instances");
    assert_eq!(h.emulator.successes("RunInstances"), 1, "one success after one lost answer");
    let throttled = h.emulator.requests().iter().filter(|r| r.code.as_deref() == Some("Throttling.User")).count();
    assert_eq!(throttled, 2);
}

#[tokio::test]
async fn catalog_errors_name_the_attribute_code_and_request_id() {
    let h = Harness::start().await;
    let network = h.network().await;
    // A wrong instance type or image is refused at plan time now (the next test); a key pair
    // is only checked by RunInstances.
    let cases = [("key_name", "missing-key", "InvalidKeyPairName.NotFound")];
    for (attribute, value, code) in cases {
        let mut config = h.group_config(&network, 2);
        if let Value::Map(map) = &mut config {
            map.insert(attribute.to_owned(), Value::from(value));
        }
        let error = h.create("alicloud_instance_group", config, &format!("t-{attribute}")).await.unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some(attribute), "{error:?}");
        assert!(error.message.contains(code) && error.message.contains("request id"), "{}", error.message);
        assert!(!error.outcome_unknown);
    }
    let too_many = h.plan("alicloud_instance_group", None, h.group_config(&network, 101)).await.unwrap_err();
    assert_eq!(too_many.attribute.as_deref(), Some("instance_count"));
    assert!(h.emulator.instance_ids().is_empty());
}

/// The same mistakes caught at plan time (DescribeZones, DescribeImages), before anything is
/// created, with the nearest valid name.
#[tokio::test]
async fn wrong_instance_types_and_images_are_refused_at_plan_time() {
    let h = Harness::start().await;
    let network = h.network().await;
    let cases = [
        (
            "instance_type",
            "ecs.g6.larg",
            "is not an instance type sold in region cn-hangzhou; did you mean \"ecs.g6.large\"?",
        ),
        ("image_id", "windows_3_1.vhd", "image \"windows_3_1.vhd\" does not exist in region cn-hangzhou"),
    ];
    for (attribute, value, message) in cases {
        let mut config = h.group_config(&network, 2);
        if let Value::Map(map) = &mut config {
            map.insert(attribute.to_owned(), Value::from(value));
        }
        let error = h.plan("alicloud_instance_group", None, config).await.unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some(attribute), "{error:?}");
        assert!(error.message.contains(message), "{}", error.message);
    }
    assert!(h.plan("alicloud_instance_group", None, h.group_config(&network, 2)).await.is_ok());

    // A vSwitch that exists already gives its zone: a type that zone does not sell is refused
    // at plan time (not by RunInstances' InvalidInstanceType.ZoneNotSupported).
    let vswitch_k = h
        .create(
            "alicloud_vswitch",
            h.config(
                "alicloud_vswitch",
                &[
                    ("vpc_id", text(&network.vpc, "id").into()),
                    ("cidr_block", "10.0.9.0/24".into()),
                    ("zone_id", "cn-hangzhou-k".into()),
                ],
            ),
            "t-vsw-k",
        )
        .await
        .unwrap();
    let mut config = h.group_config(&network, 1);
    if let Value::Map(map) = &mut config {
        map.insert("instance_type".into(), Value::from("ecs.t6-c1m1.large"));
        map.insert("vswitch_id".into(), Value::from(text(&vswitch_k, "id")));
    }
    let error = h.plan("alicloud_instance_group", None, config.clone()).await.unwrap_err();
    assert_eq!(error.attribute.as_deref(), Some("instance_type"), "{error:?}");
    assert!(error.message.contains("cn-hangzhou-k"), "{}", error.message);
    // While the vSwitch is still to be made (its id unknown), only the region is checked.
    if let Value::Map(map) = &mut config {
        map.insert("vswitch_id".into(), Value::Unknown(Type::String));
    }
    assert!(h.plan("alicloud_instance_group", None, config).await.is_ok());
    assert!(h.emulator.instance_ids().is_empty());
}

#[tokio::test]
async fn a_wrong_secret_is_refused_and_never_shown() {
    let secret = "wrong-secret-hunter2";
    let options = fast_options(Credentials::new(TEST_ACCESS_KEY_ID, secret));
    let h = Harness::with(EmulatorConfig::default(), options).await;
    let error = h
        .create("alicloud_vpc", h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into())]), "t")
        .await
        .unwrap_err();
    assert!(error.message.contains("SignatureDoesNotMatch"), "{}", error.message);
    assert!(!error.message.contains(secret), "{}", error.message);
    assert!(!error.message.contains("AccessKeyId%3D"), "the string to sign is not quoted: {}", error.message);

    let unknown = fast_options(Credentials::new("LTAI-nobody", "x"));
    let h = Harness::with(EmulatorConfig::default(), unknown).await;
    let error = h
        .create("alicloud_vpc", h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into())]), "t")
        .await
        .unwrap_err();
    assert!(error.message.contains("InvalidAccessKeyId.NotFound"), "{}", error.message);
}

#[tokio::test]
async fn sts_credentials_send_their_token() {
    use strata_provider_alicloud::emulator::EmulatorKey;
    let key = EmulatorKey { security_token: Some("sts-token-1".into()), ..EmulatorKey::new("STS.id", "sts-secret") };
    let config = EmulatorConfig { keys: vec![key], ..EmulatorConfig::default() };
    let with_token = fast_options(Credentials::new("STS.id", "sts-secret").with_security_token("sts-token-1"));
    let h = Harness::with(config.clone(), with_token).await;
    h.create("alicloud_vpc", h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into())]), "t").await.unwrap();

    let without = fast_options(Credentials::new("STS.id", "sts-secret"));
    let h = Harness::with(config, without).await;
    let error = h
        .create("alicloud_vpc", h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into())]), "t")
        .await
        .unwrap_err();
    assert!(error.message.contains("InvalidSecurityToken"), "{}", error.message);
}
