//! Request verification, written apart from [`crate::signing`] on purpose: the emulator
//! recomputes every signature with its own encoder and canonicalization, so a mistake in the
//! client's signing code fails against it instead of being mirrored (the official Python SDK's
//! requests are checked against this code too, in `tests/python_sdk.rs`).
//!
//! Checks, in order, each answered with the API's error code:
//! - common parameters present (`MissingParameter`), `SignatureMethod=HMAC-SHA1` and
//!   `SignatureVersion=1.0` (`InvalidParameter`);
//! - a known `AccessKeyId` (`InvalidAccessKeyId.NotFound`, 404); with STS keys, the matching
//!   `SecurityToken` (`InvalidSecurityToken.MismatchWithAccessKey`);
//! - `Timestamp` well formed (`InvalidTimeStamp.Format`) and within the allowed skew of the
//!   emulator's clock (`InvalidTimeStamp.Expired`);
//! - the signature (`SignatureDoesNotMatch`);
//! - a `SignatureNonce` not seen within twice the skew (`SignatureNonceUsed`).
//!
//! Requests with an `Authorization` header are signature method V3 requests, verified by [`v3`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use time::OffsetDateTime;
use time::macros::format_description;

use super::EmulatorKey;
use super::reply::Reply;
use crate::signing::Params;

pub mod v3;

/// Nonces seen, with when.
#[derive(Debug, Default)]
pub struct Nonces {
    seen: HashMap<String, Instant>,
}

impl Nonces {
    /// Records `nonce`; false when it was seen within twice the `skew` (older ones are
    /// forgotten: their requests' timestamps are refused anyway).
    fn first_use(&mut self, nonce: &str, skew: Duration) -> bool {
        self.seen.retain(|_, at| at.elapsed() < skew * 2);
        self.seen.insert(nonce.to_owned(), Instant::now()).is_none()
    }
}

const COMMON: [&str; 8] = [
    "AccessKeyId",
    "Action",
    "Version",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
];

/// Verifies one request (its HTTP `method` and every parameter, query and form body together).
///
/// # Errors
/// The API's error answer for the first check that fails.
pub fn verify(
    method: &str,
    params: &Params,
    keys: &[EmulatorKey],
    nonces: &mut Nonces,
    skew: Duration,
) -> Result<(), Reply> {
    for name in COMMON {
        if params.get(name).is_none_or(String::is_empty) {
            return Err(Reply::missing(name));
        }
    }
    let param = |name: &str| params.get(name).map_or("", String::as_str);
    if param("SignatureMethod") != "HMAC-SHA1" {
        return Err(Reply::invalid("SignatureMethod"));
    }
    if param("SignatureVersion") != "1.0" {
        return Err(Reply::invalid("SignatureVersion"));
    }
    let Some(key) = keys.iter().find(|key| key.access_key_id == param("AccessKeyId")) else {
        return Err(Reply::error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."));
    };
    if let Some(token) = &key.security_token
        && params.get("SecurityToken") != Some(token)
    {
        return Err(Reply::error(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        ));
    }
    check_timestamp(param("Timestamp"), skew)?;
    let expected = signature(method, params, &key.access_key_secret);
    if expected != param("Signature") {
        return Err(Reply::error(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{}",
                string_to_sign(method, params)
            ),
        ));
    }
    if !nonces.first_use(param("SignatureNonce"), skew) {
        return Err(Reply::error(400, "SignatureNonceUsed", "Specified signature nonce was used already."));
    }
    Ok(())
}

fn check_timestamp(text: &str, skew: Duration) -> Result<(), Reply> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let Ok(at) = time::PrimitiveDateTime::parse(text, format) else {
        return Err(Reply::error(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        ));
    };
    let difference = (OffsetDateTime::now_utc() - at.assume_utc()).unsigned_abs();
    if difference > skew {
        return Err(Reply::error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."));
    }
    Ok(())
}

/// The emulator's own percent-encoding: byte by byte, only `A-Z a-z 0-9 - _ . ~` kept.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn string_to_sign(method: &str, params: &Params) -> String {
    let mut pairs: Vec<(&String, &String)> = params.iter().filter(|(name, _)| *name != "Signature").collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical: Vec<String> =
        pairs.iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect();
    format!("{method}&%2F&{}", encode(&canonical.join("&")))
}

fn signature(method: &str, params: &Params, secret: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes()).expect("any key length");
    mac.update(string_to_sign(method, params).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Decodes a query string or form body: `+` is a space, `%XY` a byte; invalid escapes are kept
/// as written. Later duplicates win.
pub fn decode_form(text: &str, into: &mut Params) {
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        into.insert(decode(name), decode(value));
    }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = match bytes.get(index + 1..index + 3) {
            Some([high, low]) if bytes[index] == b'%' => hex(*high).zip(hex(*low)),
            _ => None,
        };
        match (bytes[index], escaped) {
            (_, Some((high, low))) => {
                out.push(high * 16 + low);
                index += 2;
            }
            (b'+', None) => out.push(b' '),
            (byte, None) => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).map(|digit| digit as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms() {
        let mut params = Params::new();
        decode_form("a=1+2&b=%2A%7e&c=%zz&d", &mut params);
        assert_eq!(params["a"], "1 2");
        assert_eq!(params["b"], "*~");
        assert_eq!(params["c"], "%zz");
        assert_eq!(params["d"], "");
    }

    #[test]
    fn agrees_with_the_published_example() {
        // The ECS API reference's example ("Request signatures"), as in tests/signing.rs.
        let params: Params = [
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(signature("GET", &params, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }
}
