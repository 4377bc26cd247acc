//! `alicloud_key_pair`: an SSH public key imported into ECS (`ImportKeyPair`), so instances can
//! be launched with it.

use std::sync::Arc;

use strata_provider_sdk::{Ctx, Model, Plan, ProviderError, Resource, async_trait};

use super::{is_code, token};
use crate::api::ecs as api;
use crate::settings::Shared;

/// An SSH key pair: ECS keeps the public key and installs it on the instances launched with it.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct KeyPair {
    /// Name (2 to 128 characters, starting with a letter), unique in the region.
    #[strata(required, force_new)]
    pub key_name: String,
    /// The public key, one OpenSSH line ("ssh-ed25519 AAAA... comment").
    #[strata(required, force_new)]
    pub public_key: String,
    /// The key's fingerprint as ECS computes it.
    #[strata(computed)]
    pub fingerprint: Option<String>,
    /// The key pair's id: its name.
    #[strata(computed)]
    pub id: Option<String>,
}

pub struct KeyPairResource(pub Arc<Shared>);

#[async_trait]
impl Resource for KeyPairResource {
    type Model = KeyPair;
    const TYPE_NAME: &'static str = "alicloud_key_pair";

    /// The default plan; a provider that cannot make its client (no credentials, no region)
    /// says so at plan time.
    async fn plan(&self, ctx: &Ctx, _plan: &mut Plan<KeyPair>) -> Result<(), ProviderError> {
        self.0.client(ctx).map(drop)
    }

    async fn create(&self, ctx: &Ctx, mut planned: KeyPair) -> Result<KeyPair, ProviderError> {
        let client = self.0.client(ctx)?;
        let token = token(ctx);
        let fingerprint = match api::import_key_pair(&client, &planned.key_name, &planned.public_key, &token).await {
            Ok(fingerprint) => fingerprint,
            // `ImportKeyPair` takes no `ClientToken`: a retried create finds its own key by tag.
            Err(error) if is_code(&error, "KeyPair.AlreadyExist") => {
                match api::describe_key_pair(&client, &planned.key_name).await? {
                    Some(pair) if pair.tags.token() == Some(token.as_str()) => pair.key_pair_finger_print,
                    _ => {
                        return Err(ProviderError::at(
                            "key_name",
                            format!(
                                "{error}; a key pair named {:?} exists and this configuration did not make it: \
                                 choose another key_name, or import it with `strata import`",
                                planned.key_name
                            ),
                        ));
                    }
                }
            }
            Err(error) => {
                let attribute = match error.code() {
                    Some(code) if code.starts_with("InvalidPublicKeyBody") => "public_key",
                    Some(code) if code.starts_with("InvalidKeyPairName") => "key_name",
                    _ => return Err(error.into()),
                };
                return Err(error.at(attribute));
            }
        };
        planned.fingerprint = Some(fingerprint);
        planned.id = Some(planned.key_name.clone());
        Ok(planned)
    }

    async fn read(&self, ctx: &Ctx, mut current: KeyPair) -> Result<Option<KeyPair>, ProviderError> {
        let client = self.0.client(ctx)?;
        // The API does not give the public key back: it stays as recorded.
        Ok(api::describe_key_pair(&client, &current.key_name).await?.map(|pair| {
            current.fingerprint = Some(pair.key_pair_finger_print);
            current.id = Some(pair.key_pair_name);
            current
        }))
    }

    async fn update(&self, _ctx: &Ctx, _prior: KeyPair, planned: KeyPair) -> Result<KeyPair, ProviderError> {
        // Every argument replaces the key pair: nothing changes in place.
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: KeyPair) -> Result<(), ProviderError> {
        let client = self.0.client(ctx)?;
        Ok(api::delete_key_pair(&client, &prior.key_name).await?)
    }

    async fn find_by_token(&self, ctx: &Ctx, mut planned: KeyPair) -> Result<Option<KeyPair>, ProviderError> {
        let client = self.0.client(ctx)?;
        let found = api::describe_key_pair(&client, &planned.key_name).await?;
        Ok(found.filter(|pair| pair.tags.token() == Some(ctx.idempotency_token())).map(|pair| {
            planned.fingerprint = Some(pair.key_pair_finger_print);
            planned.id = Some(pair.key_pair_name);
            planned
        }))
    }
}
