//! Signatures of Alibaba Cloud's "signature method V3" (`ACS3-HMAC-SHA256`, an `Authorization`
//! header), as pure functions.
//!
//! The documented algorithm ("Request syntax and signature method V3",
//! <https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature>):
//!
//! 1. the canonical request: the HTTP method, the canonical URI (`/` for RPC APIs; each path
//!    segment percent-encoded), the canonical query string (parameters sorted by name, name and
//!    value percent-encoded as in [`crate::signing::percent_encode`], joined as `name=value`
//!    with `&`; an empty value is `name=`), the canonical headers (`host`, `content-type` and
//!    every `x-acs-*` header, names lower-cased and sorted, values trimmed, one `name:value\n`
//!    each), the signed header names joined with `;`, and the hashed payload (hex SHA-256 of the
//!    body), one per line;
//! 2. `StringToSign = "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical request))`;
//! 3. `Signature = hex(HMAC-SHA256(AccessKeySecret, StringToSign))` (the bare secret: no `&`);
//! 4. `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<...>,Signature=<...>`.
//!
//! The common headers are `host`, `x-acs-action`, `x-acs-version`, `x-acs-date` (ISO 8601 UTC,
//! `2023-10-26T10:22:32Z`), `x-acs-signature-nonce`, `x-acs-content-sha256` (the hashed
//! payload) and, with STS credentials, `x-acs-security-token` ([`common_headers`]).
//!
//! `tests/signing_v3.rs` checks every intermediate value against the published example and an
//! official SDK's test (`testdata/alicloud/signing-v3-vectors.json`), and `tests/python_sdk.rs`
//! against the official Python signer.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::signing::{Params, percent_encode};

/// The algorithm, first word of the string to sign and of the `Authorization` header.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Headers of a request as (name, value) pairs; a name may repeat, in any case.
pub type Headers = Vec<(String, String)>;

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `HexEncode(SHA-256(body))`: the hashed payload and the `x-acs-content-sha256` header.
pub fn hashed_payload(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

/// The resource path with each segment percent-encoded; an empty path is `/` (RPC APIs always
/// use `/`).
pub fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    path.split('/').map(percent_encode).collect::<Vec<_>>().join("/")
}

/// The query parameters sorted by name, `name=value` (both encoded) joined with `&`; empty when
/// there are none.
pub fn canonical_query(query: &Params) -> String {
    let pairs: Vec<String> =
        query.iter().map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value))).collect();
    pairs.join("&")
}

/// Whether a header takes part in the signature: `host`, `content-type` and `x-acs-*`
/// (`name` lower-case).
pub fn is_signed(name: &str) -> bool {
    name == "host" || name == "content-type" || name.starts_with("x-acs-")
}

/// The canonical headers (`name:value\n` each, sorted) and the signed header names (joined with
/// `;`) of the headers [`is_signed`] picks: names lower-cased, values trimmed; a name given more
/// than once has its values sorted and joined with `,`.
pub fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if is_signed(&name) {
            by_name.entry(name).or_default().push(value.trim());
        }
    }
    let mut canonical = String::new();
    for (name, values) in &mut by_name {
        values.sort_unstable();
        canonical.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let signed: Vec<&str> = by_name.keys().map(String::as_str).collect();
    (canonical, signed.join(";"))
}

/// What is signed of one request.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path as sent (`/` for RPC APIs).
    pub path: &'a str,
    pub query: &'a Params,
    pub headers: &'a [(String, String)],
    /// [`hashed_payload`] of the body.
    pub hashed_payload: &'a str,
}

/// The canonical request: method, URI, query, headers, a blank line, signed headers, payload hash.
pub fn canonical_request(request: &Request<'_>) -> String {
    let (headers, signed) = canonical_headers(request.headers);
    format!(
        "{}\n{}\n{}\n{headers}\n{signed}\n{}",
        request.method.to_ascii_uppercase(),
        canonical_uri(request.path),
        canonical_query(request.query),
        request.hashed_payload
    )
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", hashed_payload(canonical_request.as_bytes()))
}

/// Hex HMAC-SHA256 of the string to sign, keyed by the AccessKey secret itself.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(string_to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Every value the signature goes through, for a request and a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub canonical_request: String,
    pub signed_headers: String,
    pub string_to_sign: String,
    pub signature: String,
    /// The `Authorization` header.
    pub authorization: String,
}

/// Signs `request` with the AccessKey `access_key_id` / `secret`.
pub fn sign(request: &Request<'_>, access_key_id: &str, secret: &str) -> Signed {
    let canonical_request = canonical_request(request);
    let (_, signed_headers) = canonical_headers(request.headers);
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = signature(secret, &string_to_sign);
    let authorization =
        format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}");
    Signed { canonical_request, signed_headers, string_to_sign, signature, authorization }
}

/// The common headers of one request.
#[derive(Clone, Copy, Debug)]
pub struct Common<'a> {
    /// The endpoint's host, with the port when it is not the scheme's.
    pub host: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    /// ISO 8601 in UTC, `2023-10-26T10:22:32Z` ([`crate::signing::timestamp`] writes it).
    pub date: &'a str,
    /// Unique per request: the API refuses a nonce it has seen.
    pub nonce: &'a str,
    /// With STS credentials.
    pub security_token: Option<&'a str>,
    /// The body's type, when there is a body.
    pub content_type: Option<&'a str>,
}

/// The headers to send (and sign) with a request whose body is `body`; `x-acs-content-sha256`
/// is its [`hashed_payload`].
pub fn common_headers(common: Common<'_>, body: &[u8]) -> Headers {
    let mut headers: Headers = vec![
        ("host".into(), common.host.into()),
        ("x-acs-action".into(), common.action.into()),
        ("x-acs-version".into(), common.version.into()),
        ("x-acs-date".into(), common.date.into()),
        ("x-acs-signature-nonce".into(), common.nonce.into()),
        ("x-acs-content-sha256".into(), hashed_payload(body)),
    ];
    if let Some(token) = common.security_token {
        headers.push(("x-acs-security-token".into(), token.into()));
    }
    if let Some(content_type) = common.content_type {
        headers.push(("content-type".into(), content_type.into()));
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Headers {
        list.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn an_empty_body_hashes_to_the_documented_value() {
        assert_eq!(hashed_payload(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn paths_are_encoded_segment_by_segment() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/path/ test*~"), "/path/%20test%2A~");
    }

    #[test]
    fn empty_values_keep_their_equals_sign() {
        let query = Params::from([("b".to_owned(), String::new()), ("a".to_owned(), "x y".to_owned())]);
        assert_eq!(canonical_query(&query), "a=x%20y&b=");
        assert_eq!(canonical_query(&Params::new()), "");
    }

    #[test]
    fn only_host_content_type_and_acs_headers_are_signed() {
        let headers = pairs(&[
            ("X-Acs-Date", " 2023-10-26T10:22:32Z "),
            ("User-Agent", "strata"),
            ("Host", "ecs.aliyuncs.com"),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("accept", "application/json"),
        ]);
        let (canonical, signed) = canonical_headers(&headers);
        assert_eq!(signed, "content-type;host;x-acs-date");
        assert_eq!(
            canonical,
            "content-type:application/x-www-form-urlencoded\nhost:ecs.aliyuncs.com\nx-acs-date:2023-10-26T10:22:32Z\n"
        );
    }

    #[test]
    fn a_repeated_header_joins_its_sorted_values() {
        let (canonical, signed) = canonical_headers(&pairs(&[("x-acs-test", "https"), ("X-ACS-TEST", "http")]));
        assert_eq!((canonical.as_str(), signed.as_str()), ("x-acs-test:http,https\n", "x-acs-test"));
    }

    #[test]
    fn sts_credentials_add_their_token_header() {
        let common = Common {
            host: "h",
            action: "A",
            version: "V",
            date: "D",
            nonce: "N",
            security_token: Some("T"),
            content_type: None,
        };
        let headers = common_headers(common, b"");
        assert!(headers.contains(&("x-acs-security-token".to_owned(), "T".to_owned())), "{headers:?}");
        let (_, signed) = canonical_headers(&headers);
        assert_eq!(
            signed,
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version"
        );
    }
}
