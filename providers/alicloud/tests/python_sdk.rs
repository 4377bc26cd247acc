//! Cross-checks with Alibaba Cloud's official Python SDKs (installed into a venv under the
//! target directory on first use): `aliyun-python-sdk-core` signs the same V1 requests as
//! `signing` does and `alibabacloud-tea-openapi` the same V3 requests as `signing_v3`; the
//! emulator accepts the requests each sends and refuses them tampered with, replayed or signed
//! with a wrong secret. Skipped, saying so, only on a machine without `python3` and `pip`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use strata_provider_alicloud::emulator::{Emulator, EmulatorConfig, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET};
use strata_provider_alicloud::signing::{self, Params};
use strata_provider_alicloud::signing_v3::{self, Request};

/// Requests to sign both ways: the published vectors, and parameters with every character
/// class the encoding treats specially.
fn cases() -> Vec<(String, String, Params)> {
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(common::testdata("signing-vectors.json")).unwrap()).unwrap();
    let mut cases: Vec<(String, String, Params)> = vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let params = serde_json::from_value(v["params"].clone()).unwrap();
            (v["method"].as_str().unwrap().to_owned(), v["secret"].as_str().unwrap().to_owned(), params)
        })
        .collect();
    let special: Params = [
        ("Action", "RunInstances"),
        ("Version", "2014-05-26"),
        ("AccessKeyId", "LTAI-x"),
        ("InstanceName", "a b*c~d+e/f=g&h"),
        ("Description", "阿里云 é ü"),
        ("UserData", "{\"k\": [1, \"v w\"]}"),
        ("Tag.1.Key", "strata-token"),
        ("Tag.1.Value", "0b7e-…"),
        ("InstanceId.1", "i-1"),
        ("InstanceId.2", "i-2"),
        ("Empty", ""),
        ("Quote", "'\"!()"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    cases.push(("POST".into(), "s3cr3t+/=".into(), special.clone()));
    cases.push(("GET".into(), "another secret".into(), special));
    cases
}

#[test]
fn the_official_python_sdk_signs_what_we_sign() {
    let Some(python) = common::python_sdk() else { return };
    let cases = cases();
    let input: Vec<Value> = cases
        .iter()
        .map(|(method, secret, params)| json!({"method": method, "secret": secret, "params": params}))
        .collect();
    let mut child = Command::new(python)
        .arg(common::testdata("python/sign.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python sign.py");
    child.stdin.take().unwrap().write_all(Value::from(input).to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "sign.py failed");
    let signed: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(signed.len(), cases.len());
    for ((method, secret, params), sdk) in cases.iter().zip(&signed) {
        assert_eq!(signing::string_to_sign(method, params), sdk["string_to_sign"].as_str().unwrap(), "{params:?}");
        assert_eq!(signing::sign(method, params, secret), sdk["signature"].as_str().unwrap(), "{params:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_accepts_the_official_sdk_and_refuses_tampering_and_replay() {
    let Some(python) = tokio::task::spawn_blocking(common::python_sdk).await.unwrap() else { return };
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let output = tokio::process::Command::new(python)
        .arg(common::testdata("python/call.py"))
        .args([emulator.address().to_string(), TEST_ACCESS_KEY_ID.to_owned(), TEST_ACCESS_KEY_SECRET.to_owned()])
        .output()
        .await
        .expect("python call.py");
    assert!(output.status.success(), "call.py failed: {}", String::from_utf8_lossy(&output.stderr));
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();

    // Real calls through the SDK's client: verified and answered.
    let vpc_id = results["create_vpc"]["ok"]["VpcId"].as_str().unwrap_or_else(|| panic!("{results}"));
    let vpcs = &results["describe_vpcs"]["ok"]["Vpcs"]["Vpc"];
    assert_eq!(vpcs[0]["VpcId"], vpc_id, "{results}");
    assert_eq!(vpcs[0]["VpcName"], "sdk vpc *~+/é", "the form body parameter arrived intact");

    // URLs the SDK signed: the first is accepted once, then refused as a replay.
    let http = reqwest::Client::new();
    let get = |url: &str| {
        let url = format!("{}{url}", emulator.endpoint());
        let http = http.clone();
        async move {
            let response = http.get(url).send().await.unwrap();
            let status = response.status().as_u16();
            (status, serde_json::from_str::<Value>(&response.text().await.unwrap()).unwrap())
        }
    };
    let urls: Vec<&str> = results["signed_urls"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect();
    let (status, body) = get(urls[0]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["TotalCount"], 1);
    let (status, body) = get(urls[0]).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("SignatureNonceUsed")), "{body}");

    // The second, with one parameter changed after signing: refused.
    assert!(urls[1].contains("RegionId=cn-hangzhou"), "{}", urls[1]);
    let tampered = urls[1].replace("RegionId=cn-hangzhou", "RegionId=cn-beijing");
    let (status, body) = get(&tampered).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("SignatureDoesNotMatch")), "{body}");
    // Untampered, it would have passed (its nonce was not used up by the refusal).
    let (status, body) = get(urls[1]).await;
    assert_eq!(status, 200, "{body}");
}

/// V3 requests to sign both ways: the published vectors, and requests with every character
/// class the encoding treats specially, an STS token and a form body.
fn v3_cases() -> Vec<Value> {
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(common::testdata("signing-v3-vectors.json")).unwrap()).unwrap();
    let mut cases = vectors["vectors"].as_array().unwrap().clone();
    let special = json!({
        "RegionId": "cn-hangzhou",
        "InstanceName": "a b*c~d+e/f=g&h",
        "Description": "阿里云 é ü",
        "UserData": "{\"k\": [1, \"v w\"]}",
        "Tag.1.Key": "strata-token",
        "Tag.1.Value": "0b7e-…",
        "InstanceId.1": "i-1",
        "InstanceId.2": "i-2",
        "Empty": "",
        "Quote": "'\"!()",
    });
    let body = "VpcName=a%20b&CidrBlock=10.0.0.0%2F16";
    let headers = |content_type: Option<&str>, token: Option<&str>, body: &str| {
        let common = signing_v3::Common {
            host: "ecs.cn-hangzhou.aliyuncs.com",
            action: "RunInstances",
            version: "2014-05-26",
            date: "2024-01-30T08:00:00Z",
            nonce: "6a3c3bd1-6c8a-4b3e-9a0e-2f1c7f0e6b1d",
            security_token: token,
            content_type,
        };
        signing_v3::common_headers(common, body.as_bytes())
    };
    let case = |method: &str, headers: Vec<(String, String)>, body: &str, secret: &str| {
        json!({
            "method": method, "path": "/", "query": special, "headers": headers,
            "hashed_payload": signing_v3::hashed_payload(body.as_bytes()),
            "access_key_id": "LTAI-x", "secret": secret,
        })
    };
    cases.push(case("POST", headers(None, None, ""), "", "s3cr3t+/="));
    cases.push(case("GET", headers(None, Some("sts+token/=="), ""), "", "another secret"));
    cases.push(case("POST", headers(Some("application/x-www-form-urlencoded"), None, body), body, "s"));
    cases
}

#[test]
fn the_official_python_sdk_signs_v3_what_we_sign() {
    let Some(python) = common::python_sdk() else { return };
    let cases = v3_cases();
    let mut child = Command::new(python)
        .arg(common::testdata("python/sign_v3.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python sign_v3.py");
    child.stdin.take().unwrap().write_all(Value::from(cases.clone()).to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "sign_v3.py failed");
    let signed: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(signed.len(), cases.len());
    for (case, sdk) in cases.iter().zip(&signed) {
        let query: Params = serde_json::from_value(case["query"].clone()).unwrap();
        let headers: Vec<(String, String)> = serde_json::from_value(case["headers"].clone()).unwrap();
        let request = Request {
            method: case["method"].as_str().unwrap(),
            path: case["path"].as_str().unwrap(),
            query: &query,
            headers: &headers,
            hashed_payload: case["hashed_payload"].as_str().unwrap(),
        };
        let ours =
            signing_v3::sign(&request, case["access_key_id"].as_str().unwrap(), case["secret"].as_str().unwrap());
        assert_eq!(ours.authorization, sdk["authorization"].as_str().unwrap(), "{case}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_accepts_the_official_v3_sdk_and_refuses_a_wrong_secret() {
    let Some(python) = tokio::task::spawn_blocking(common::python_sdk).await.unwrap() else { return };
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let output = tokio::process::Command::new(python)
        .arg(common::testdata("python/call_v3.py"))
        .args([emulator.address().to_string(), TEST_ACCESS_KEY_ID.to_owned(), TEST_ACCESS_KEY_SECRET.to_owned()])
        .output()
        .await
        .expect("python call_v3.py");
    assert!(output.status.success(), "call_v3.py failed: {}", String::from_utf8_lossy(&output.stderr));
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();

    // The SDK signs every header it sends (user-agent and accept too): verified and answered.
    let vpc_id = results["create_vpc"]["ok"]["VpcId"].as_str().unwrap_or_else(|| panic!("{results}"));
    let vpcs = &results["describe_vpcs"]["ok"]["Vpcs"]["Vpc"];
    assert_eq!(vpcs[0]["VpcId"], vpc_id, "{results}");
    assert_eq!(vpcs[0]["VpcName"], "sdk v3 vpc *~+/é", "the form body parameter arrived intact");
    assert_eq!(results["wrong_secret"]["error"], "SignatureDoesNotMatch", "{results}");
}
