//! The emulator's side of the protocol: what it refuses (signature checks, then each action's
//! validation from `testdata/alicloud/emulator-errors.json`), `ClientToken` idempotency, the
//! states objects go through, paging.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;
use strata_provider_alicloud::client::{CallError, Client, ClientConfig, Service};
use strata_provider_alicloud::emulator::{Emulator, EmulatorConfig, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET};
use strata_provider_alicloud::signing::{self, Common, Params};

fn client(emulator: &Emulator) -> Client {
    Client::new(ClientConfig {
        region: common::REGION.into(),
        endpoint: Some(emulator.endpoint()),
        credentials: common::test_credentials(),
        retry: common::fast_options(common::test_credentials()).retry,
    })
    .unwrap()
}

fn params(pairs: &[(&str, &str)]) -> Params {
    pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
}

fn service(action: &str) -> Service {
    const VPC: [&str; 8] = [
        "CreateVpc",
        "DescribeVpcs",
        "ModifyVpcAttribute",
        "DeleteVpc",
        "CreateVSwitch",
        "DescribeVSwitches",
        "ModifyVSwitchAttribute",
        "DeleteVSwitch",
    ];
    if VPC.contains(&action) { Service::Vpc } else { Service::Ecs }
}

async fn call(client: &Client, action: &str, mut params: Params) -> Result<Value, CallError> {
    params.entry("RegionId".into()).or_insert_with(|| common::REGION.into());
    client.call(service(action), action, params).await
}

/// Waits until `DescribeVpcs` says the VPC is `Available`.
async fn available(client: &Client, vpc: &str) {
    for _ in 0..200 {
        let answer = call(client, "DescribeVpcs", params(&[("VpcId", vpc)])).await.unwrap();
        if answer["Vpcs"]["Vpc"][0]["Status"] == "Available" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("VPC {vpc} never became available");
}

/// The objects the error cases refer to, by placeholder.
async fn setup(client: &Client) -> BTreeMap<&'static str, String> {
    let mut made = BTreeMap::new();
    let vpc = call(client, "CreateVpc", params(&[("CidrBlock", "10.0.0.0/16")])).await.unwrap();
    let vpc = vpc["VpcId"].as_str().unwrap().to_owned();
    let other = call(client, "CreateVpc", params(&[("CidrBlock", "192.168.0.0/16")])).await.unwrap();
    let other = other["VpcId"].as_str().unwrap().to_owned();
    available(client, &vpc).await;
    for (name, zone, cidr) in
        [("$vswitch", "cn-hangzhou-h", "10.0.1.0/24"), ("$vswitch_k", "cn-hangzhou-k", "10.0.2.0/24")]
    {
        let answer = call(client, "CreateVSwitch", params(&[("VpcId", &vpc), ("ZoneId", zone), ("CidrBlock", cidr)]))
            .await
            .unwrap();
        made.insert(name, answer["VSwitchId"].as_str().unwrap().to_owned());
    }
    for (name, in_vpc) in [("$group", &vpc), ("$other_group", &other)] {
        let answer = call(client, "CreateSecurityGroup", params(&[("VpcId", in_vpc)])).await.unwrap();
        made.insert(name, answer["SecurityGroupId"].as_str().unwrap().to_owned());
    }
    let key = common::public_key();
    call(client, "ImportKeyPair", params(&[("KeyPairName", "cluster"), ("PublicKeyBody", &key)])).await.unwrap();
    made.insert("$vpc", vpc);
    made.insert("$public_key", key);
    made
}

/// One refused request: its status and code.
async fn check(client: &Client, made: &BTreeMap<&'static str, String>, case: &Value) {
    let name = case["name"].as_str().unwrap();
    let action = case["action"].as_str().unwrap();
    let mut params = Params::new();
    for (param, value) in case["params"].as_object().unwrap() {
        let value = value.as_str().unwrap();
        let value = made.get(value).cloned().unwrap_or_else(|| value.to_owned());
        params.insert(param.clone(), value);
    }
    match call(client, action, params).await {
        Err(CallError::Api(error)) => {
            let expected = (case["status"].as_u64().unwrap() as u16, case["code"].as_str().unwrap());
            assert_eq!((error.status, error.code.as_str()), expected, "{name}: {}", error.message);
            assert!(error.request_id.is_some(), "{name}: every answer has a request id");
        }
        other => panic!("{name}: expected an error answer, got {other:?}"),
    }
}

#[tokio::test]
async fn actions_refuse_what_the_api_refuses() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let client = client(&emulator);
    let made = setup(&client).await;
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(common::testdata("emulator-errors.json")).unwrap()).unwrap();
    for case in fixture["cases"].as_array().unwrap() {
        check(&client, &made, case).await;
    }
    assert!(emulator.instance_ids().is_empty(), "no refused RunInstances launched anything");
}

/// Sends `params` signed with `secret` (common parameters as given), the way any client would.
async fn send(emulator: &Emulator, method: &str, params: &Params, secret: &str) -> (u16, Value) {
    let body = signing::signed_query(method, params, secret);
    let http = reqwest::Client::new();
    let url = format!("{}/", emulator.endpoint());
    let request = match method {
        "GET" => http.get(format!("{url}?{body}")),
        _ => http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap()).unwrap())
}

fn signed_params(nonce: &str, timestamp: &str) -> Params {
    let common = Common {
        action: "DescribeVpcs",
        version: "2016-04-28",
        access_key_id: TEST_ACCESS_KEY_ID,
        security_token: None,
        timestamp,
        signature_nonce: nonce,
    };
    signing::with_common(params(&[("RegionId", "cn-hangzhou")]), common)
}

fn now() -> String {
    signing::timestamp(time::OffsetDateTime::now_utc())
}

#[tokio::test]
async fn signatures_keys_timestamps_and_nonces_are_checked() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let ok = signed_params("nonce-1", &now());
    assert_eq!(send(&emulator, "POST", &ok, TEST_ACCESS_KEY_SECRET).await.0, 200);
    assert_eq!(send(&emulator, "GET", &signed_params("nonce-get", &now()), TEST_ACCESS_KEY_SECRET).await.0, 200);

    let stale = signing::timestamp(time::OffsetDateTime::now_utc() - time::Duration::minutes(20));
    let mut unknown_key = signed_params("nonce-4", &now());
    unknown_key.insert("AccessKeyId".into(), "LTAI-nobody".into());
    let mut bad_method = signed_params("nonce-5", &now());
    bad_method.insert("SignatureMethod".into(), "HMAC-SHA256".into());
    let mut bad_version = signed_params("nonce-6", &now());
    bad_version.insert("Version".into(), "2099-01-01".into());
    let mut unsigned = signed_params("nonce-7", &now());
    unsigned.remove("Timestamp");
    let cases: [(&str, Params, &str, u16, &str); 7] = [
        ("replayed nonce", ok.clone(), TEST_ACCESS_KEY_SECRET, 400, "SignatureNonceUsed"),
        ("wrong secret", signed_params("nonce-2", &now()), "not-the-secret", 400, "SignatureDoesNotMatch"),
        ("stale timestamp", signed_params("nonce-3", &stale), TEST_ACCESS_KEY_SECRET, 400, "InvalidTimeStamp.Expired"),
        ("unknown key", unknown_key, TEST_ACCESS_KEY_SECRET, 404, "InvalidAccessKeyId.NotFound"),
        ("other signature method", bad_method, TEST_ACCESS_KEY_SECRET, 400, "InvalidParameter"),
        ("unknown version", bad_version, TEST_ACCESS_KEY_SECRET, 400, "InvalidVersion"),
        ("no timestamp", unsigned, TEST_ACCESS_KEY_SECRET, 400, "MissingParameter"),
    ];
    for (name, params, secret, status, code) in cases {
        let (actual, body) = send(&emulator, "POST", &params, secret).await;
        assert_eq!((actual, body["Code"].as_str().unwrap_or("-")), (status, code), "{name}: {body}");
    }

    // Signed as GET, sent as POST: the method is part of what is signed.
    let params = signed_params("nonce-8", &now());
    let form = signing::signed_query("GET", &params, TEST_ACCESS_KEY_SECRET);
    let response = reqwest::Client::new()
        .post(format!("{}/", emulator.endpoint()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
}

#[tokio::test]
async fn a_client_token_launches_once() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let client = client(&emulator);
    let made = setup(&client).await;
    let launch = |token: &str, amount: &str| {
        params(&[
            ("ImageId", common::IMAGE),
            ("InstanceType", common::INSTANCE_TYPE),
            ("VSwitchId", &made["$vswitch"]),
            ("SecurityGroupId", &made["$group"]),
            ("Amount", amount),
            ("ClientToken", token),
        ])
    };
    let first = call(&client, "RunInstances", launch("token-1", "3")).await.unwrap();
    let again = call(&client, "RunInstances", launch("token-1", "3")).await.unwrap();
    assert_eq!(first["InstanceIdSets"], again["InstanceIdSets"]);
    assert_ne!(first["RequestId"], again["RequestId"]);
    assert_eq!(emulator.instance_ids().len(), 3);
    let mismatch = call(&client, "RunInstances", launch("token-1", "4")).await.unwrap_err();
    assert_eq!(mismatch.code(), Some("IdempotentParameterMismatch"));
    call(&client, "RunInstances", launch("token-2", "2")).await.unwrap();
    assert_eq!(emulator.instance_ids().len(), 5);

    // Paging: 5 instances, 2 a page.
    let page = |number: &str| params(&[("PageSize", "2"), ("PageNumber", number)]);
    let third = call(&client, "DescribeInstances", page("3")).await.unwrap();
    assert_eq!((third["TotalCount"].as_u64(), third["Instances"]["Instance"].as_array().unwrap().len()), (Some(5), 1));
}

#[tokio::test]
async fn instances_go_pending_starting_running_then_stopping_and_gone() {
    let step = Duration::from_millis(500);
    let mut config = EmulatorConfig::default();
    config.timing.instance_pending = step;
    config.timing.instance_starting = step;
    config.timing.instance_deleting = step;
    let emulator = Emulator::start(config).await.unwrap();
    let client = client(&emulator);
    let made = setup(&client).await;
    let launched = call(
        &client,
        "RunInstances",
        params(&[
            ("ImageId", common::IMAGE),
            ("InstanceType", common::INSTANCE_TYPE),
            ("VSwitchId", &made["$vswitch"]),
            ("SecurityGroupId", &made["$group"]),
        ]),
    )
    .await
    .unwrap();
    let id = launched["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_owned();
    let ids = format!("[\"{id}\"]");
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..100 {
        let answer = call(&client, "DescribeInstances", params(&[("InstanceIds", &ids)])).await.unwrap();
        let status = answer["Instances"]["Instance"][0]["Status"].as_str().unwrap_or("gone").to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "Running" && !seen.contains(&"deleting".to_owned()) {
            call(&client, "DeleteInstances", params(&[("InstanceId.1", &id), ("Force", "true")])).await.unwrap();
            seen.push("deleting".into());
        }
        if status == "gone" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, ["Pending", "Starting", "Running", "deleting", "Stopping", "gone"]);
}
