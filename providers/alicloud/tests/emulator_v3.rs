//! Signature method V3 (`ACS3-HMAC-SHA256`) on the wire: the emulator accepts V3 requests and
//! refuses them tampered with, replayed or stale with the API's codes; the client signs V3; and
//! the provider's resource flow runs with `signature_version = "v3"`.

mod common;

use std::collections::BTreeMap;

use common::{Harness, fast_options, test_credentials, text, texts};
use serde_json::Value as Json;
use strata_provider::Provider;
use strata_provider_alicloud::client::{CallError, Client, ClientConfig, Service, SignatureVersion};
use strata_provider_alicloud::credentials::Credentials;
use strata_provider_alicloud::emulator::{
    Emulator, EmulatorConfig, EmulatorKey, Fault, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET,
};
use strata_provider_alicloud::signing::{self, Params};
use strata_provider_alicloud::signing_v3::{self, Common, Request};
use strata_value::Value;

/// A V3 request as it will be sent: its parts can be changed after signing.
#[derive(Clone, Debug)]
struct Signed {
    method: &'static str,
    query: Params,
    headers: Vec<(String, String)>,
    body: String,
}

fn params(pairs: &[(&str, &str)]) -> Params {
    pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
}

fn now() -> String {
    signing::timestamp(time::OffsetDateTime::now_utc())
}

/// `DescribeVpcs` (or, with a form `body`, `CreateVpc`) signed with `secret`.
fn signed(emulator: &Emulator, nonce: &str, date: &str, body: Option<&str>, secret: &str) -> Signed {
    let host = emulator.address().to_string();
    let action = if body.is_some() { "CreateVpc" } else { "DescribeVpcs" };
    let common = Common {
        host: &host,
        action,
        version: "2016-04-28",
        date,
        nonce,
        security_token: None,
        content_type: body.map(|_| "application/x-www-form-urlencoded"),
    };
    let body = body.unwrap_or_default().to_owned();
    let query = params(&[("RegionId", "cn-hangzhou")]);
    let method = if body.is_empty() { "GET" } else { "POST" };
    let mut headers = signing_v3::common_headers(common, body.as_bytes());
    let hashed_payload = signing_v3::hashed_payload(body.as_bytes());
    let request = Request { method, path: "/", query: &query, headers: &headers, hashed_payload: &hashed_payload };
    let authorization = signing_v3::sign(&request, TEST_ACCESS_KEY_ID, secret).authorization;
    headers.push(("authorization".into(), authorization));
    Signed { method, query, headers, body }
}

fn set_header(request: &mut Signed, name: &str, value: &str) {
    request.headers.retain(|(header, _)| header != name);
    request.headers.push((name.to_owned(), value.to_owned()));
}

async fn send(emulator: &Emulator, request: &Signed) -> (u16, Json) {
    let query = signing_v3::canonical_query(&request.query);
    let url = format!("{}/?{query}", emulator.endpoint());
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut builder = reqwest::Client::new().request(method, url).body(request.body.clone());
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder.send().await.unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap()).unwrap())
}

#[tokio::test]
async fn v3_requests_are_verified_and_refused_when_tampered_with() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let form = "CidrBlock=10.0.0.0%2F16&VpcName=v3%20vpc%20%2A~";
    let created = signed(&emulator, "v3-nonce-1", &now(), Some(form), TEST_ACCESS_KEY_SECRET);
    let (status, body) = send(&emulator, &created).await;
    assert_eq!(status, 200, "{body}");
    let described = signed(&emulator, "v3-nonce-2", &now(), None, TEST_ACCESS_KEY_SECRET);
    let (status, body) = send(&emulator, &described).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Vpcs"]["Vpc"][0]["VpcName"], "v3 vpc *~", "the form body arrived intact: {body}");

    let stale = signing::timestamp(time::OffsetDateTime::now_utc() - time::Duration::minutes(20));
    let mut body_changed = signed(&emulator, "v3-nonce-3", &now(), Some(form), TEST_ACCESS_KEY_SECRET);
    body_changed.body = body_changed.body.replace("10.0.0.0", "10.1.0.0");
    let mut query_changed = signed(&emulator, "v3-nonce-4", &now(), None, TEST_ACCESS_KEY_SECRET);
    query_changed.query.insert("RegionId".into(), "cn-beijing".into());
    let mut header_changed = signed(&emulator, "v3-nonce-5", &now(), None, TEST_ACCESS_KEY_SECRET);
    set_header(&mut header_changed, "x-acs-action", "DescribeVSwitches");
    let mut unsigned_header = signed(&emulator, "v3-nonce-6", &now(), None, TEST_ACCESS_KEY_SECRET);
    unsigned_header.headers.push(("x-acs-extra".into(), "added after signing".into()));
    let mut no_date = signed(&emulator, "v3-nonce-7", &now(), None, TEST_ACCESS_KEY_SECRET);
    no_date.headers.retain(|(name, _)| name != "x-acs-date");
    let mut other_algorithm = signed(&emulator, "v3-nonce-8", &now(), None, TEST_ACCESS_KEY_SECRET);
    let authorization = other_algorithm.headers.last().unwrap().1.replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3");
    set_header(&mut other_algorithm, "authorization", &authorization);
    let mut unknown_key = signed(&emulator, "v3-nonce-9", &now(), None, TEST_ACCESS_KEY_SECRET);
    let authorization = unknown_key.headers.last().unwrap().1.replace(TEST_ACCESS_KEY_ID, "LTAI-nobody");
    set_header(&mut unknown_key, "authorization", &authorization);
    let cases: [(&str, Signed, u16, &str); 10] = [
        ("replayed nonce", described.clone(), 400, "SignatureNonceUsed"),
        ("body changed after signing", body_changed, 400, "SignatureDoesNotMatch"),
        ("query changed after signing", query_changed, 400, "SignatureDoesNotMatch"),
        ("signed header changed", header_changed, 400, "SignatureDoesNotMatch"),
        (
            "date outside the skew",
            signed(&emulator, "v3-nonce-10", &stale, None, TEST_ACCESS_KEY_SECRET),
            400,
            "InvalidTimeStamp.Expired",
        ),
        (
            "wrong secret",
            signed(&emulator, "v3-nonce-11", &now(), None, "not-the-secret"),
            400,
            "SignatureDoesNotMatch",
        ),
        ("x-acs header not signed", unsigned_header, 400, "IncompleteSignature"),
        ("no x-acs-date", no_date, 400, "MissingParameter"),
        ("another algorithm", other_algorithm, 400, "IncompleteSignature"),
        ("unknown key", unknown_key, 404, "InvalidAccessKeyId.NotFound"),
    ];
    for (name, request, status, code) in cases {
        let (actual, body) = send(&emulator, &request).await;
        assert_eq!((actual, body["Code"].as_str().unwrap_or("-")), (status, code), "{name}: {body}");
    }
    assert_eq!(emulator.inventory().vpcs, 1, "no refused CreateVpc made anything");

    // A refused request does not use its nonce up: the same nonce, correctly signed, passes.
    let (status, body) = send(&emulator, &signed(&emulator, "v3-nonce-4", &now(), None, TEST_ACCESS_KEY_SECRET)).await;
    assert_eq!(status, 200, "{body}");
}

fn v3_client(emulator: &Emulator, credentials: Credentials) -> Client {
    let config = ClientConfig {
        region: common::REGION.into(),
        endpoint: Some(emulator.endpoint()),
        credentials: credentials.clone(),
        retry: fast_options(credentials).retry,
    };
    Client::new(config).unwrap().with_signature_version(SignatureVersion::V3)
}

#[tokio::test]
async fn the_client_signs_v3_with_plain_and_sts_credentials() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let client = v3_client(&emulator, test_credentials());
    let name = "v3 name *~+/=&é";
    let made = client
        .call(
            Service::Vpc,
            "CreateVpc",
            params(&[("RegionId", "cn-hangzhou"), ("CidrBlock", "10.0.0.0/16"), ("VpcName", name)]),
        )
        .await
        .unwrap();
    let vpc_id = made["VpcId"].as_str().unwrap();
    let found = client
        .call(Service::Vpc, "DescribeVpcs", params(&[("RegionId", "cn-hangzhou"), ("VpcId", vpc_id)]))
        .await
        .unwrap();
    assert_eq!(found["Vpcs"]["Vpc"][0]["VpcName"], name, "{found}");

    let secret = "wrong-secret-hunter2";
    let wrong = v3_client(&emulator, Credentials::new(TEST_ACCESS_KEY_ID, secret));
    let error = wrong.call(Service::Vpc, "DescribeVpcs", params(&[("RegionId", "cn-hangzhou")])).await.unwrap_err();
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    assert!(!error.to_string().contains(secret), "{error}");

    let key = EmulatorKey { security_token: Some("sts-token-1".into()), ..EmulatorKey::new("STS.id", "sts-secret") };
    let emulator = Emulator::start(EmulatorConfig { keys: vec![key], ..EmulatorConfig::default() }).await.unwrap();
    let sts = v3_client(&emulator, Credentials::new("STS.id", "sts-secret").with_security_token("sts-token-1"));
    sts.call(Service::Vpc, "DescribeVpcs", params(&[("RegionId", "cn-hangzhou")])).await.unwrap();
    let without = v3_client(&emulator, Credentials::new("STS.id", "sts-secret"));
    let error = without.call(Service::Vpc, "DescribeVpcs", params(&[("RegionId", "cn-hangzhou")])).await.unwrap_err();
    assert!(
        matches!(&error, CallError::Api(api) if api.code == "InvalidSecurityToken.MismatchWithAccessKey"),
        "{error}"
    );
}

/// An emulator and the provider configured with `signature_version`.
async fn harness(signature_version: &str) -> Harness {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let provider = strata_provider_alicloud::provider_with(fast_options(test_credentials()));
    let block = Value::Map(BTreeMap::from([
        ("region".to_owned(), Value::from(common::REGION)),
        ("endpoint".to_owned(), Value::from(emulator.endpoint())),
        ("profile".to_owned(), Value::Null),
        ("signature_version".to_owned(), Value::from(signature_version)),
    ]));
    provider.configure(block).await.expect("configure");
    Harness { emulator, provider }
}

#[tokio::test]
async fn the_resource_flow_runs_with_signature_version_v3() {
    let h = harness("v3").await;
    let network = h.network().await;
    // Retried calls are signed afresh (new date and nonce) with V3 too.
    h.emulator.inject(Fault::Throttle { count: 2 });
    h.emulator.inject(Fault::LoseAnswer { action: "RunInstances".into(), count: 1 });
    let group = h.create("alicloud_instance_group", h.group_config(&network, 3), "v3-group").await.unwrap();
    let ids = texts(&group, "instance_ids");
    assert_eq!(ids.len(), 3);
    assert_eq!(h.emulator.successes("RunInstances"), 1, "the lost answer was retried without duplicates");
    assert_eq!(h.read("alicloud_instance_group", group.clone()).await.unwrap(), Some(group.clone()));
    let five = h.update("alicloud_instance_group", group, h.group_config(&network, 5)).await.unwrap();
    assert_eq!(&texts(&five, "instance_ids")[..3], &ids[..]);
    let two = h.update("alicloud_instance_group", five, h.group_config(&network, 2)).await.unwrap();
    assert_eq!(texts(&two, "instance_ids"), &ids[..2]);

    h.delete("alicloud_instance_group", two).await.unwrap();
    h.delete("alicloud_key_pair", network.key).await.unwrap();
    h.delete("alicloud_security_group", network.group).await.unwrap();
    h.delete("alicloud_vswitch", network.vswitch).await.unwrap();
    assert!(text(&network.vpc, "id").starts_with("vpc-"));
    h.delete("alicloud_vpc", network.vpc).await.unwrap();
    assert!(h.emulator.inventory().is_empty(), "{:?}", h.emulator.inventory());
    let refused = h.emulator.requests().into_iter().filter(|r| r.status != 200 && r.status != 503).count();
    assert_eq!(refused, 2, "only the two throttled requests were refused");
}

#[tokio::test]
async fn an_unknown_signature_version_names_the_setting() {
    let h = harness("v2").await;
    let error = h
        .create("alicloud_vpc", h.config("alicloud_vpc", &[("cidr_block", "10.0.0.0/16".into())]), "t")
        .await
        .unwrap_err();
    assert_eq!(error.attribute.as_deref(), Some("signature_version"), "{error:?}");
    assert!(error.message.contains("\"v3\""), "{}", error.message);
}
