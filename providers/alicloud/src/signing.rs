//! Signatures of RPC-style OpenAPI requests (Alibaba Cloud's "signature method V2",
//! `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`), as pure functions.
//!
//! The documented algorithm ("Request signatures" in the ECS API reference,
//! <https://www.alibabacloud.com/help/doc-detail/25492.htm>):
//!
//! 1. percent-encode every parameter name and value (UTF-8; `A-Z a-z 0-9 - _ . ~` kept, every
//!    other byte `%XY` with upper-case hex, so a space is `%20`, `*` is `%2A`, `~` stays);
//! 2. sort the parameters by name (`Signature` excluded) and join them as `name=value` with `&`:
//!    the canonicalized query string;
//! 3. `StringToSign = METHOD + "&" + percentEncode("/") + "&" + percentEncode(canonicalized)`;
//! 4. `Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`.
//!
//! `tests/signing.rs` checks this against the published examples (`testdata/alicloud/`), and
//! `tests/python_sdk.rs` against the official Python SDK's signer.

use std::collections::BTreeMap;

use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use time::OffsetDateTime;
use time::macros::format_description;

/// Request parameters by name: sorted, as the canonicalized query string wants them.
pub type Params = BTreeMap<String, String>;

/// The only signature method of this version.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The signature version.
pub const SIGNATURE_VERSION: &str = "1.0";

/// Every byte but the RFC 3986 unreserved characters is encoded.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes `text` the documented way: the same as Java's `URLEncoder` followed by
/// `+`→`%20`, `*`→`%2A`, `%7E`→`~`.
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODED).to_string()
}

/// The sorted, encoded `name=value` pairs joined with `&`; a `Signature` parameter is left out.
pub fn canonicalized_query(params: &Params) -> String {
    let pairs: Vec<String> = params
        .iter()
        .filter(|(name, _)| name.as_str() != "Signature")
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect();
    pairs.join("&")
}

/// `METHOD&%2F&percentEncode(canonicalized query)`.
pub fn string_to_sign(method: &str, params: &Params) -> String {
    format!("{}&{}&{}", method.to_ascii_uppercase(), percent_encode("/"), percent_encode(&canonicalized_query(params)))
}

/// `Base64(HMAC-SHA1(secret + "&", string_to_sign(method, params)))`.
pub fn sign(method: &str, params: &Params, secret: &str) -> String {
    let key = format!("{secret}&");
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(string_to_sign(method, params).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The form body (or query string) of a signed request: the canonicalized query followed by
/// `&Signature=...`.
pub fn signed_query(method: &str, params: &Params, secret: &str) -> String {
    let signature = sign(method, params, secret);
    format!("{}&Signature={}", canonicalized_query(params), percent_encode(&signature))
}

/// The common parameters every request carries besides its own.
#[derive(Clone, Copy, Debug)]
pub struct Common<'a> {
    pub action: &'a str,
    pub version: &'a str,
    pub access_key_id: &'a str,
    /// With STS credentials.
    pub security_token: Option<&'a str>,
    /// ISO 8601 in UTC, `2016-02-23T12:46:24Z` ([`timestamp`]).
    pub timestamp: &'a str,
    /// Unique per request: the API refuses a nonce it has seen.
    pub signature_nonce: &'a str,
}

/// `params` plus the common parameters (`Format=JSON`).
pub fn with_common(mut params: Params, common: Common<'_>) -> Params {
    let mut set = |name: &str, value: &str| {
        params.insert(name.to_owned(), value.to_owned());
    };
    set("Action", common.action);
    set("Version", common.version);
    set("Format", "JSON");
    set("AccessKeyId", common.access_key_id);
    set("SignatureMethod", SIGNATURE_METHOD);
    set("SignatureVersion", SIGNATURE_VERSION);
    set("SignatureNonce", common.signature_nonce);
    set("Timestamp", common.timestamp);
    if let Some(token) = common.security_token {
        set("SecurityToken", token);
    }
    params
}

/// A time as the `Timestamp` parameter writes it: `2016-02-23T12:46:24Z` (UTC, no fraction).
pub fn timestamp(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .expect("a UTC time formats with a fixed description")
}

/// Adds a repeated parameter the RPC way: `Key.1`, `Key.2`, ... (numbered from 1).
pub fn push_list(params: &mut Params, name: &str, values: &[String]) {
    for (index, value) in values.iter().enumerate() {
        params.insert(format!("{name}.{}", index + 1), value.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_only_what_the_documentation_says() {
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode("a b*c+d/e=f&g"), "a%20b%2Ac%2Bd%2Fe%3Df%26g");
        assert_eq!(percent_encode("\"'()!"), "%22%27%28%29%21");
        assert_eq!(percent_encode("阿里"), "%E9%98%BF%E9%87%8C");
    }

    #[test]
    fn lists_are_numbered_from_one() {
        let mut params = Params::new();
        push_list(&mut params, "InstanceId", &["i-a".to_owned(), "i-b".to_owned()]);
        assert_eq!(canonicalized_query(&params), "InstanceId.1=i-a&InstanceId.2=i-b");
    }

    #[test]
    fn the_signature_parameter_is_not_signed() {
        let mut params = Params::from([("A".to_owned(), "1".to_owned())]);
        let before = sign("GET", &params, "s");
        params.insert("Signature".into(), "anything".into());
        assert_eq!(sign("GET", &params, "s"), before);
    }

    #[test]
    fn timestamps_are_utc_seconds() {
        let at = time::macros::datetime!(2016-02-23 20:46:24.5 +08:00);
        assert_eq!(timestamp(at), "2016-02-23T12:46:24Z");
    }
}
