//! Verification of `ACS3-HMAC-SHA256` requests (signature method V3), written apart from
//! [`crate::signing_v3`] like the V1 checks: the emulator recomputes the signature from what it
//! received, over the headers the request says it signed, with its own encoder.
//!
//! Checks, in order, each answered with the API's error code:
//! - an `Authorization` header of the form `ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,
//!   Signature=...` (`IncompleteSignature`);
//! - the common headers present: `host`, `x-acs-action`, `x-acs-version`, `x-acs-date`,
//!   `x-acs-signature-nonce`, `x-acs-content-sha256` (`MissingParameter`, naming the header);
//! - every one of them, every other `x-acs-*` header and `content-type` among the signed
//!   headers, and every signed header present (`IncompleteSignature`);
//! - a known AccessKey ID (`InvalidAccessKeyId.NotFound`, 404); with STS keys, the matching
//!   `x-acs-security-token` (`InvalidSecurityToken.MismatchWithAccessKey`);
//! - `x-acs-date` well formed and within the allowed skew (`InvalidTimeStamp.Format`,
//!   `InvalidTimeStamp.Expired`);
//! - the signature over the method, path, query string, signed headers and the SHA-256 of the
//!   body as received (`SignatureDoesNotMatch`);
//! - an `x-acs-signature-nonce` not seen within twice the skew (`SignatureNonceUsed`), shared
//!   with V1's `SignatureNonce`.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{EmulatorKey, Nonces, Reply, check_timestamp, encode};
use crate::signing::Params;

const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The headers every request must carry and sign.
const REQUIRED: [&str; 6] =
    ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

/// What arrived.
#[derive(Clone, Copy, Debug)]
pub struct Received<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The query string's parameters, decoded.
    pub query: &'a Params,
    /// Every header, names lower-case, in the order received.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Received<'_> {
    /// The values of header `name` (lower-case), trimmed.
    fn values(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(header, _)| header == name).map(|(_, value)| value.trim()).collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.values(name).first().copied().filter(|value| !value.is_empty())
    }
}

/// The three fields of the `Authorization` header.
struct Authorization<'a> {
    credential: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn incomplete(detail: &str) -> Reply {
    Reply::error(
        400,
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards. {detail}"),
    )
}

fn parse_authorization(text: &str) -> Result<Authorization<'_>, Reply> {
    let Some(fields) = text.strip_prefix(ALGORITHM).and_then(|rest| rest.strip_prefix(' ')) else {
        return Err(incomplete(&format!("The Authorization header must start with {ALGORITHM}.")));
    };
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for field in fields.split(',') {
        match field.trim().split_once('=') {
            Some(("Credential", value)) => credential = Some(value),
            Some(("SignedHeaders", value)) => signed_headers = Some(value),
            Some(("Signature", value)) => signature = Some(value),
            _ => return Err(incomplete(&format!("Unexpected Authorization field {field:?}."))),
        }
    }
    match (credential, signed_headers, signature) {
        (Some(credential), Some(signed), Some(signature)) if !credential.is_empty() && !signature.is_empty() => {
            let signed_headers = signed.split(';').filter(|name| !name.is_empty()).collect();
            Ok(Authorization { credential, signed_headers, signature })
        }
        _ => Err(incomplete("The Authorization header needs Credential, SignedHeaders and Signature.")),
    }
}

/// Every header that must be signed is, and every signed header is there.
fn check_signed_headers(received: &Received<'_>, signed: &[&str]) -> Result<(), Reply> {
    let must_sign = received
        .headers
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| *name == "content-type" || name.starts_with("x-acs-"))
        .chain(REQUIRED);
    for name in must_sign {
        if !signed.contains(&name) {
            return Err(incomplete(&format!("The header {name} is not signed.")));
        }
    }
    match signed.iter().find(|name| received.values(name).is_empty()) {
        Some(name) => Err(incomplete(&format!("The signed header {name} is not in the request."))),
        None => Ok(()),
    }
}

/// Verifies one V3 request.
///
/// # Errors
/// The API's error answer for the first check that fails.
pub fn verify(received: &Received<'_>, keys: &[EmulatorKey], nonces: &mut Nonces, skew: Duration) -> Result<(), Reply> {
    let authorization = parse_authorization(received.header("authorization").unwrap_or_default())?;
    if let Some(name) = REQUIRED.iter().find(|name| received.header(name).is_none()) {
        return Err(Reply::missing(name));
    }
    check_signed_headers(received, &authorization.signed_headers)?;
    let Some(key) = keys.iter().find(|key| key.access_key_id == authorization.credential) else {
        return Err(Reply::error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."));
    };
    if let Some(token) = &key.security_token
        && received.header("x-acs-security-token") != Some(token.as_str())
    {
        return Err(Reply::error(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        ));
    }
    check_timestamp(received.header("x-acs-date").unwrap_or_default(), skew)?;
    let string_to_sign = string_to_sign(received, &authorization.signed_headers);
    if hmac_hex(&key.access_key_secret, &string_to_sign) != authorization.signature {
        return Err(Reply::error(
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature does not match our calculation. server string to sign is:{string_to_sign}"),
        ));
    }
    if !nonces.first_use(received.header("x-acs-signature-nonce").unwrap_or_default(), skew) {
        return Err(Reply::error(400, "SignatureNonceUsed", "Specified signature nonce was used already."));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
        out
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hmac_hex(secret: &str, text: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(text.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The canonical request of what arrived, over the `signed` headers, hashed into the string to
/// sign.
fn string_to_sign(received: &Received<'_>, signed: &[&str]) -> String {
    let uri = if received.path.is_empty() {
        "/".to_owned()
    } else {
        received.path.split('/').map(encode).collect::<Vec<_>>().join("/")
    };
    let mut pairs: Vec<(&String, &String)> = received.query.iter().collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let query: Vec<String> = pairs.iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect();
    let mut names: Vec<&str> = signed.to_vec();
    names.sort_unstable();
    names.dedup();
    let mut headers = String::new();
    for name in &names {
        let mut values = received.values(name);
        values.sort_unstable();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical = format!(
        "{}\n{uri}\n{}\n{headers}\n{}\n{}",
        received.method,
        query.join("&"),
        names.join(";"),
        sha256_hex(received.body)
    );
    format!("{ALGORITHM}\n{}", sha256_hex(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_published_example() {
        // "Request syntax and signature method V3", fixed parameter values (as in
        // tests/signing_v3.rs).
        let query: Params =
            [("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        let headers: Vec<(String, String)> = [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
            ("user-agent", "not signed"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let received = Received { method: "POST", path: "/", query: &query, headers: &headers, body: b"" };
        let signed = REQUIRED;
        let string_to_sign = string_to_sign(&received, &signed);
        assert_eq!(
            string_to_sign,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            hmac_hex("YourAccessKeySecret", &string_to_sign),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn reads_the_authorization_header() {
        let parsed = parse_authorization("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=ab")
            .unwrap_or_else(|_| panic!("well formed"));
        assert_eq!((parsed.credential, parsed.signature), ("id", "ab"));
        assert_eq!(parsed.signed_headers, ["host", "x-acs-date"]);
        for bad in ["ACS3-HMAC-SM3 Credential=id,SignedHeaders=host,Signature=ab", "ACS3-HMAC-SHA256 Credential=id", ""]
        {
            let reply = parse_authorization(bad).err().unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert_eq!(reply.code(), Some("IncompleteSignature"));
        }
    }
}
