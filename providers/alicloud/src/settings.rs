//! The provider block ([`Config`]), the options a program may add ([`Options`]), and [`Shared`]:
//! the one [`Client`] every resource uses, made on first use from both.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use strata_provider::ProviderError;
use strata_provider_sdk::{Ctx, Model};

use crate::client::{Client, ClientConfig, RetryPolicy, SignatureVersion};
use crate::credentials::{self, Credentials};

/// The `provider "alicloud" { }` block. Credentials are never written here: they come from the
/// environment or an aliyun CLI profile (see `docs/alicloud-provider.md`).
#[derive(Model, Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Region of every resource, e.g. "cn-hangzhou" (default: ALIBABA_CLOUD_REGION_ID, else the
    /// profile's region_id).
    pub region: Option<String>,
    /// Send every API request to this URL instead of the public endpoints, e.g.
    /// "http://127.0.0.1:8080" for the emulator.
    pub endpoint: Option<String>,
    /// The aliyun CLI profile (in ~/.aliyun/config.json) whose credentials to use, instead of
    /// the ALIBABA_CLOUD_* environment variables.
    pub profile: Option<String>,
    /// How requests are signed: "v1" (the RPC HMAC-SHA1 signature, the default) or "v3" (the
    /// ACS3-HMAC-SHA256 Authorization header).
    pub signature_version: Option<String>,
}

/// How long waits take: polling starts at `first` and grows by half each time up to `max`;
/// `settle` bounds how long a delete waits for dependencies that are still going away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    pub first: Duration,
    pub max: Duration,
    pub settle: Duration,
}

impl Default for PollPolicy {
    fn default() -> PollPolicy {
        PollPolicy { first: Duration::from_millis(250), max: Duration::from_secs(5), settle: Duration::from_secs(120) }
    }
}

/// What a program (not the configuration) decides: credentials given directly (tests), retry
/// and poll timing.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Used instead of the environment and profiles.
    pub credentials: Option<Credentials>,
    pub retry: RetryPolicy,
    pub poll: PollPolicy,
}

/// Shared by the resources of one provider: the options and the client, made once.
#[derive(Debug)]
pub struct Shared {
    pub options: Options,
    client: Mutex<Option<Arc<Client>>>,
}

/// The variable naming the region when the provider block does not.
pub const REGION_VAR: &str = "ALIBABA_CLOUD_REGION_ID";

impl Shared {
    pub fn new(options: Options) -> Arc<Shared> {
        Arc::new(Shared { options, client: Mutex::new(None) })
    }

    /// The client for the configured provider, made on first use.
    ///
    /// # Errors
    /// No configuration yet, no credentials, no region, or an endpoint that is not a URL.
    pub fn client(&self, ctx: &Ctx) -> Result<Arc<Client>, ProviderError> {
        let mut slot = self.client.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(client) = slot.as_ref() {
            return Ok(client.clone());
        }
        let config = ctx.provider_config::<Config>().cloned().unwrap_or_default();
        let client = Arc::new(self.make_client(&config)?);
        *slot = Some(client.clone());
        Ok(client)
    }

    fn make_client(&self, config: &Config) -> Result<Client, ProviderError> {
        let (credentials, profile_region) = match &self.options.credentials {
            Some(credentials) => (credentials.clone(), None),
            None => {
                let resolved =
                    credentials::lookup(config.profile.as_deref()).map_err(|error| match &config.profile {
                        Some(_) => ProviderError::at("profile", error.to_string()),
                        None => ProviderError::new(error.to_string()),
                    })?;
                (resolved.credentials, resolved.region)
            }
        };
        let region = config
            .region
            .clone()
            .or_else(|| std::env::var(REGION_VAR).ok().filter(|region| !region.is_empty()))
            .or(profile_region)
            .ok_or_else(|| {
                ProviderError::at("region", format!("no region: set region in the provider block, or {REGION_VAR}"))
            })?;
        if let Some(endpoint) = &config.endpoint
            && !(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
        {
            return Err(ProviderError::at("endpoint", "the endpoint must be an http:// or https:// URL"));
        }
        let signature_version = match config.signature_version.as_deref() {
            None => SignatureVersion::default(),
            Some(text) => SignatureVersion::parse(text).ok_or_else(|| {
                ProviderError::at(
                    "signature_version",
                    format!("unknown signature version {text:?}: use \"v1\" or \"v3\""),
                )
            })?,
        };
        let client_config =
            ClientConfig { region, endpoint: config.endpoint.clone(), credentials, retry: self.options.retry };
        let client = Client::new(client_config).map_err(|error| error.to_provider_error())?;
        Ok(client.with_signature_version(signature_version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_with(signature_version: Option<&str>) -> Result<Client, ProviderError> {
        let options = Options { credentials: Some(Credentials::new("id", "secret")), ..Options::default() };
        let config = Config {
            region: Some("cn-hangzhou".into()),
            signature_version: signature_version.map(str::to_owned),
            ..Config::default()
        };
        Shared::new(options).make_client(&config)
    }

    #[test]
    fn the_signature_version_reaches_the_client() {
        assert_eq!(client_with(None).unwrap().signature_version(), SignatureVersion::V1);
        assert_eq!(client_with(Some("v1")).unwrap().signature_version(), SignatureVersion::V1);
        assert_eq!(client_with(Some("v3")).unwrap().signature_version(), SignatureVersion::V3);
        let error = client_with(Some("V3")).unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some("signature_version"));
    }
}
