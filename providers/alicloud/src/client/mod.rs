//! [`Client`]: signed RPC calls to the ECS and VPC OpenAPI endpoints, with retries.
//!
//! Every call is a `POST /`, signed one of two ways ([`SignatureVersion`]):
//! - `v1` (the default): the form body carries the common parameters, the action's own and the
//!   HMAC-SHA1 signature ([`crate::signing`]); no parameter is ever put in a URL;
//! - `v3`: the action's parameters travel in the query string, as the V3 documentation places
//!   RPC parameters, and the common values and the `ACS3-HMAC-SHA256` signature in headers
//!   ([`crate::signing_v3`], `v3.rs`); the body is empty.
//!
//! The AccessKey secret never leaves the process, and no credential is put in a URL, an error or
//! a log line. A call that fails with throttling, a server error or a broken connection is
//! signed afresh (new date and nonce) and sent again after an exponential backoff with jitter,
//! within the [`RetryPolicy`]'s attempts and deadline. The answer is the response's JSON; an
//! error answer (`{"Code", "Message", "RequestId"}`) becomes [`CallError::Api`].

mod error;
mod retry;
mod v3;

use std::time::{Duration, Instant};

use strata_provider_sdk::log;
use time::OffsetDateTime;

use crate::credentials::Credentials;
use crate::signing::{self, Common, Params};

pub use self::error::{ApiError, CallError};
pub use self::retry::RetryPolicy;

/// The OpenAPI products the provider calls, each with its API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// Elastic Compute Service, version 2014-05-26.
    Ecs,
    /// Virtual Private Cloud, version 2016-04-28.
    Vpc,
}

impl Service {
    pub fn version(self) -> &'static str {
        match self {
            Service::Ecs => "2014-05-26",
            Service::Vpc => "2016-04-28",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Service::Ecs => "ECS",
            Service::Vpc => "VPC",
        }
    }

    /// The public regional endpoint: `https://ecs.cn-hangzhou.aliyuncs.com`.
    pub fn endpoint(self, region: &str) -> String {
        let product = match self {
            Service::Ecs => "ecs",
            Service::Vpc => "vpc",
        };
        format!("https://{product}.{region}.aliyuncs.com")
    }
}

/// How requests are signed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureVersion {
    /// The RPC signature: `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0` parameters
    /// (Alibaba Cloud's documentation calls it "signature method V2").
    #[default]
    V1,
    /// `Authorization: ACS3-HMAC-SHA256 ...` ("signature method V3").
    V3,
}

impl SignatureVersion {
    /// The provider setting's value: `v1` or `v3`.
    pub fn parse(text: &str) -> Option<SignatureVersion> {
        match text {
            "v1" => Some(SignatureVersion::V1),
            "v3" => Some(SignatureVersion::V3),
            _ => None,
        }
    }
}

/// How to reach the API and who signs.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub region: String,
    /// Every service at this URL (an emulator: `http://127.0.0.1:PORT`) instead of the public
    /// endpoints.
    pub endpoint: Option<String>,
    pub credentials: Credentials,
    pub retry: RetryPolicy,
}

/// A client for one region and one set of credentials; cheap to share (`&Client`).
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
    signature_version: SignatureVersion,
}

/// Time allowed for one HTTP exchange.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl Client {
    /// # Errors
    /// The HTTP client cannot be built (no TLS roots).
    pub fn new(config: ClientConfig) -> Result<Client, CallError> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("strata-provider-alicloud/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| CallError::Setup { detail: error.without_url().to_string() })?;
        Ok(Client { http, config, signature_version: SignatureVersion::default() })
    }

    /// The same client, signing with `version`.
    pub fn with_signature_version(mut self, version: SignatureVersion) -> Client {
        self.signature_version = version;
        self
    }

    pub fn signature_version(&self) -> SignatureVersion {
        self.signature_version
    }

    pub fn region(&self) -> &str {
        &self.config.region
    }

    fn url(&self, service: Service) -> String {
        match &self.config.endpoint {
            Some(endpoint) => format!("{}/", endpoint.trim_end_matches('/')),
            None => format!("{}/", service.endpoint(&self.config.region)),
        }
    }

    /// Calls `action` of `service` with `params` (common parameters are added), retrying as the
    /// policy allows; the answer's JSON.
    ///
    /// # Errors
    /// The API's error answer, or a transport failure once retries are spent.
    pub async fn call(&self, service: Service, action: &str, params: Params) -> Result<serde_json::Value, CallError> {
        let retry = &self.config.retry;
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.call_once(service, action, params.clone()).await;
            let error = match result {
                Ok(value) => return Ok(value),
                Err(error) if !error.is_retryable() => return Err(error),
                Err(error) => error,
            };
            let delay = retry.delay(attempt);
            if attempt >= retry.max_attempts || started.elapsed() + delay > retry.deadline {
                return Err(error.after_attempts(attempt));
            }
            log::debug(&format!(
                "{} {action}: {} (attempt {attempt}); retrying in {} ms",
                service.name(),
                error.short(),
                delay.as_millis()
            ));
            tokio::time::sleep(delay).await;
        }
    }

    /// `message` without the credentials' secret parts.
    fn redact(&self, message: &str) -> String {
        let credentials = &self.config.credentials;
        let mut message = message.to_owned();
        for secret in std::iter::once(&credentials.access_key_secret).chain(&credentials.security_token) {
            if !secret.expose().is_empty() {
                message = message.replace(secret.expose(), "[redacted]");
            }
        }
        message
    }

    /// A `POST` whose form body carries every parameter and the HMAC-SHA1 signature.
    fn v1_request(&self, service: Service, action: &str, params: Params) -> reqwest::RequestBuilder {
        let credentials = &self.config.credentials;
        let nonce = uuid::Uuid::new_v4().to_string();
        let timestamp = signing::timestamp(OffsetDateTime::now_utc());
        let common = Common {
            action,
            version: service.version(),
            access_key_id: &credentials.access_key_id,
            security_token: credentials.security_token.as_ref().map(|token| token.expose()),
            timestamp: &timestamp,
            signature_nonce: &nonce,
        };
        let params = signing::with_common(params, common);
        let body = signing::signed_query("POST", &params, credentials.access_key_secret.expose());
        self.http
            .post(self.url(service))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
    }

    async fn call_once(&self, service: Service, action: &str, params: Params) -> Result<serde_json::Value, CallError> {
        let request = match self.signature_version {
            SignatureVersion::V1 => self.v1_request(service, action, params),
            SignatureVersion::V3 => {
                let credentials = &self.config.credentials;
                let call = v3::Call { url: &self.url(service), version: service.version(), action, params: &params };
                v3::request(&self.http, call, credentials).map_err(|detail| CallError::Setup { detail })?
            }
        };
        let response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|error| CallError::transport(service, action, &error))?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|error| CallError::transport(service, action, &error))?;
        let answer = error::parse_answer(service, action, status, &text, &|message| self.redact(message));
        match &answer {
            Ok(value) => log::debug(&format!(
                "{} {action}: HTTP {status}, request id {}",
                service.name(),
                value.get("RequestId").and_then(|id| id.as_str()).unwrap_or("-")
            )),
            Err(error) => log::debug(&format!("{} {action}: {}", service.name(), error.short())),
        }
        answer
    }
}
