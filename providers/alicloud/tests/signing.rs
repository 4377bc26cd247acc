//! Request signatures against the examples Alibaba Cloud publishes
//! (`testdata/alicloud/signing-vectors.json`; each vector names the page it comes from).

use std::collections::BTreeMap;

use serde_json::Value;
use strata_provider_alicloud::signing::{self, Params};

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/alicloud/signing-vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("signing vectors")).expect("JSON")
}

/// One vector: string-to-sign (when published) and signature.
fn check(vector: &Value) {
    let name = vector["name"].as_str().unwrap();
    let params: Params = serde_json::from_value::<BTreeMap<String, String>>(vector["params"].clone()).unwrap();
    let method = vector["method"].as_str().unwrap();
    if let Some(expected) = vector["string_to_sign"].as_str() {
        assert_eq!(signing::string_to_sign(method, &params), expected, "{name}: string to sign");
    }
    let secret = vector["secret"].as_str().unwrap();
    assert_eq!(signing::sign(method, &params, secret), vector["signature"].as_str().unwrap(), "{name}: signature");
}

#[test]
fn published_examples_sign_as_documented() {
    let vectors = vectors();
    let list = vectors["vectors"].as_array().unwrap();
    assert!(list.len() >= 3);
    for vector in list {
        check(vector);
    }
}

#[test]
fn percent_encoding_follows_the_documented_rules() {
    for pair in vectors()["percent_encoding"].as_array().unwrap() {
        let (raw, encoded) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        assert_eq!(signing::percent_encode(raw), encoded, "{raw:?}");
    }
}

#[test]
fn the_signed_form_carries_the_encoded_signature_last() {
    let vectors = vectors();
    let vector = &vectors["vectors"][0];
    let params: Params = serde_json::from_value::<BTreeMap<String, String>>(vector["params"].clone()).unwrap();
    let form = signing::signed_query("GET", &params, "testsecret");
    assert!(form.ends_with("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"), "{form}");
    assert!(form.starts_with("AccessKeyId=testid&Action=DescribeRegions&"), "{form}");
}
