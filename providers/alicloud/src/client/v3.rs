//! A call signed with `ACS3-HMAC-SHA256` ([`crate::signing_v3`]): `POST /?<parameters>` with an
//! empty body, the action, version, date, nonce and payload hash in `x-acs-*` headers and the
//! signature in `Authorization`.
//!
//! RPC parameters are query parameters in the API metadata (`"in": "query"`), and the V3
//! documentation lists "passing query parameters in the request body" among the causes of
//! `SignatureDoesNotMatch`: so they go in the URL. Only the STS token is secret, and it travels
//! in a header.

use time::OffsetDateTime;

use crate::credentials::Credentials;
use crate::signing::{self, Params};
use crate::signing_v3::{self, Common, Request};

/// One call to sign.
#[derive(Clone, Copy, Debug)]
pub(super) struct Call<'a> {
    /// The endpoint's `/` (`https://ecs.cn-hangzhou.aliyuncs.com/`).
    pub url: &'a str,
    pub version: &'a str,
    pub action: &'a str,
    pub params: &'a Params,
}

/// `host` as the request carries it: the URL's host, with its port when it is not the
/// scheme's default.
fn host(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// The signed request, ready to send (a new date and nonce every time).
///
/// # Errors
/// The endpoint is not a URL with a host.
pub(super) fn request(
    http: &reqwest::Client,
    call: Call<'_>,
    credentials: &Credentials,
) -> Result<reqwest::RequestBuilder, String> {
    let mut url = reqwest::Url::parse(call.url).map_err(|_| "the endpoint is not a URL".to_owned())?;
    let host = host(&url).ok_or_else(|| "the endpoint has no host".to_owned())?;
    let date = signing::timestamp(OffsetDateTime::now_utc());
    let nonce = uuid::Uuid::new_v4().to_string();
    let common = Common {
        host: &host,
        action: call.action,
        version: call.version,
        date: &date,
        nonce: &nonce,
        security_token: credentials.security_token.as_ref().map(|token| token.expose()),
        content_type: None,
    };
    let headers = signing_v3::common_headers(common, b"");
    let hashed_payload = signing_v3::hashed_payload(b"");
    let request = Request {
        method: "POST",
        path: url.path(),
        query: call.params,
        headers: &headers,
        hashed_payload: &hashed_payload,
    };
    let signed = signing_v3::sign(&request, &credentials.access_key_id, credentials.access_key_secret.expose());
    let query = signing_v3::canonical_query(call.params);
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    let mut builder = http.post(url).header(reqwest::header::AUTHORIZATION, signed.authorization);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_keeps_only_a_port_of_its_own() {
        let host_of = |url: &str| host(&reqwest::Url::parse(url).unwrap());
        assert_eq!(host_of("https://ecs.cn-hangzhou.aliyuncs.com/").as_deref(), Some("ecs.cn-hangzhou.aliyuncs.com"));
        assert_eq!(host_of("https://ecs.aliyuncs.com:443/").as_deref(), Some("ecs.aliyuncs.com"));
        assert_eq!(host_of("http://127.0.0.1:8080/").as_deref(), Some("127.0.0.1:8080"));
    }
}
