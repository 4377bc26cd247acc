//! The `ACS3-HMAC-SHA256` signature (signature method V3) against the examples Alibaba Cloud
//! publishes (`testdata/alicloud/signing-v3-vectors.json`): every intermediate value the source
//! gives, from the canonical query to the `Authorization` header. Sources: the worked example of
//! "Request syntax and signature method V3"
//! (<https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature>,
//! section "Fixed parameter values"), and the unit test of the official SDK core's signer
//! (`github.com/aliyun/darabonba-openapi`, `python/tests/test_utils.py`).

use std::collections::BTreeMap;

use serde_json::Value;
use strata_provider_alicloud::signing::Params;
use strata_provider_alicloud::signing_v3::{self, Request};

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/alicloud/signing-v3-vectors.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("V3 vectors")).expect("JSON");
    file["vectors"].as_array().unwrap().clone()
}

fn headers(vector: &Value) -> Vec<(String, String)> {
    serde_json::from_value(vector["headers"].clone()).unwrap()
}

/// One vector: each value it publishes, computed from its inputs.
fn check(vector: &Value) {
    let name = vector["name"].as_str().unwrap();
    let text = |field: &str| vector[field].as_str();
    let query: Params = serde_json::from_value::<BTreeMap<String, String>>(vector["query"].clone()).unwrap();
    let headers = headers(vector);
    let hashed_payload = text("hashed_payload").unwrap();
    if let Some(body) = text("body") {
        assert_eq!(signing_v3::hashed_payload(body.as_bytes()), hashed_payload, "{name}: hashed payload");
        let sent = headers.iter().find(|(header, _)| header == "x-acs-content-sha256").map(|(_, value)| value);
        assert_eq!(sent.map(String::as_str), Some(hashed_payload), "{name}: x-acs-content-sha256");
    }
    let (canonical_headers, signed_headers) = signing_v3::canonical_headers(&headers);
    let request = Request {
        method: text("method").unwrap(),
        path: text("path").unwrap(),
        query: &query,
        headers: &headers,
        hashed_payload,
    };
    let signed = signing_v3::sign(&request, text("access_key_id").unwrap(), text("secret").unwrap());
    let expectations = [
        ("canonical_query", signing_v3::canonical_query(&query)),
        ("canonical_headers", canonical_headers),
        ("signed_headers", signed_headers),
        ("canonical_request", signed.canonical_request),
        ("string_to_sign", signed.string_to_sign),
        ("signature", signed.signature),
        ("authorization", signed.authorization),
    ];
    for (field, actual) in expectations {
        if let Some(expected) = text(field) {
            assert_eq!(actual, expected, "{name}: {field}");
        }
    }
}

#[test]
fn published_examples_sign_as_documented() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 2);
    for vector in &vectors {
        check(vector);
    }
}

#[test]
fn the_documentation_example_publishes_every_step() {
    // The worked example gives all of them: none of its checks may be skipped.
    let example = &vectors()[0];
    for field in ["canonical_request", "string_to_sign", "signature", "authorization", "hashed_payload"] {
        assert!(example[field].is_string(), "{field}");
    }
}

#[test]
fn the_common_headers_of_the_example_are_the_ones_it_signs() {
    let example = &vectors()[0];
    let common = signing_v3::Common {
        host: "ecs.cn-shanghai.aliyuncs.com",
        action: "RunInstances",
        version: "2014-05-26",
        date: "2023-10-26T10:22:32Z",
        nonce: "3156853299f313e23d1673dc12e1703d",
        security_token: None,
        content_type: None,
    };
    let mut made = signing_v3::common_headers(common, b"");
    made.sort();
    let mut published = headers(example);
    published.sort();
    assert_eq!(made, published);
}

#[test]
fn any_change_to_what_is_signed_changes_the_signature() {
    let example = &vectors()[0];
    let query: Params = serde_json::from_value(example["query"].clone()).unwrap();
    let headers = headers(example);
    let payload = example["hashed_payload"].as_str().unwrap();
    let base = Request { method: "POST", path: "/", query: &query, headers: &headers, hashed_payload: payload };
    let original = signing_v3::sign(&base, "YourAccessKeyId", "YourAccessKeySecret").signature;

    let mut other_query = query.clone();
    other_query.insert("RegionId".into(), "cn-beijing".into());
    let mut other_headers = headers.clone();
    other_headers[0].1 = "ecs.cn-beijing.aliyuncs.com".into();
    let other_payload = signing_v3::hashed_payload(b"x");
    let changed = [
        Request { method: "GET", ..base },
        Request { query: &other_query, ..base },
        Request { headers: &other_headers, ..base },
        Request { hashed_payload: &other_payload, ..base },
    ];
    for request in changed {
        assert_ne!(signing_v3::sign(&request, "YourAccessKeyId", "YourAccessKeySecret").signature, original);
    }
    assert_ne!(signing_v3::sign(&base, "YourAccessKeyId", "another secret").signature, original);
}
