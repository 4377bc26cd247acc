//! `alicloud_vpc`: a virtual private cloud (`CreateVpc`, then waiting for `Available`).

use std::sync::Arc;

use strata_provider_sdk::{Ctx, Model, Plan, ProviderError, Resource, async_trait};

use super::{is_code, poll, settle, token};
use crate::api::vpc::{self as api, Filter};
use crate::settings::Shared;

/// A virtual private cloud: a private network in the provider's region.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct Vpc {
    /// IPv4 CIDR block within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. "10.0.0.0/16".
    #[strata(required, force_new)]
    pub cidr_block: String,
    /// Name (up to 128 characters); changed in place.
    pub name: Option<String>,
    /// The VPC id, `vpc-...`.
    #[strata(computed)]
    pub id: Option<String>,
}

pub struct VpcResource(pub Arc<Shared>);

impl VpcResource {
    fn state(vpc: &api::Vpc) -> Vpc {
        Vpc {
            cidr_block: vpc.cidr_block.clone(),
            name: Some(vpc.vpc_name.clone()).filter(|name| !name.is_empty()),
            id: Some(vpc.vpc_id.clone()),
        }
    }

    /// The VPC once `Available` (a new VPC is `Pending` first).
    async fn available(&self, ctx: &Ctx, filter: Filter<'_>) -> Result<Option<Vpc>, ProviderError> {
        let client = self.0.client(ctx)?;
        let Some(first) = api::describe_vpcs(&client, filter).await?.into_iter().next() else {
            return Ok(None);
        };
        let id = first.vpc_id;
        let vpc = poll(self.0.options.poll, || {
            let client = client.clone();
            let id = id.clone();
            async move {
                let found = api::describe_vpcs(&client, Filter::Id(&id)).await?.into_iter().next();
                match found {
                    None => Err(ProviderError::new(format!("VPC {id} disappeared while it was being created"))),
                    Some(vpc) if vpc.status == "Available" => Ok(Some(vpc)),
                    Some(_) => Ok(None),
                }
            }
        })
        .await?;
        Ok(Some(Self::state(&vpc)))
    }
}

#[async_trait]
impl Resource for VpcResource {
    type Model = Vpc;
    const TYPE_NAME: &'static str = "alicloud_vpc";

    /// The default plan; a provider that cannot make its client (no credentials, no region)
    /// says so at plan time.
    async fn plan(&self, ctx: &Ctx, _plan: &mut Plan<Vpc>) -> Result<(), ProviderError> {
        self.0.client(ctx).map(drop)
    }

    async fn create(&self, ctx: &Ctx, planned: Vpc) -> Result<Vpc, ProviderError> {
        let client = self.0.client(ctx)?;
        let token = token(ctx);
        let name = planned.name.as_deref().unwrap_or_default();
        let id = api::create_vpc(&client, &planned.cidr_block, name, &token).await.map_err(|error| {
            if is_code(&error, "InvalidCidrBlock.Malformed") { error.at("cidr_block") } else { error.into() }
        })?;
        ctx.status(format!("{id} created, waiting for it to be available"));
        self.available(ctx, Filter::Id(&id))
            .await?
            .ok_or_else(|| ProviderError::new(format!("VPC {id} disappeared while it was being created")))
    }

    async fn read(&self, ctx: &Ctx, current: Vpc) -> Result<Option<Vpc>, ProviderError> {
        let Some(id) = current.id else { return Ok(None) };
        let client = self.0.client(ctx)?;
        let found = api::describe_vpcs(&client, Filter::Id(&id)).await?;
        Ok(found.first().map(Self::state))
    }

    async fn update(&self, ctx: &Ctx, prior: Vpc, mut planned: Vpc) -> Result<Vpc, ProviderError> {
        let id = prior.id.clone().ok_or_else(|| ProviderError::new("the VPC's id is not in state"))?;
        if planned.name != prior.name {
            let client = self.0.client(ctx)?;
            api::rename_vpc(&client, &id, planned.name.as_deref().unwrap_or_default())
                .await
                .map_err(|e| e.at("name"))?;
        }
        planned.id = Some(id);
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: Vpc) -> Result<(), ProviderError> {
        let Some(id) = prior.id else { return Ok(()) };
        let client = self.0.client(ctx)?;
        let going = ["DependencyViolation.VSwitch", "DependencyViolation.SecurityGroup", "IncorrectVpcStatus"];
        match settle(self.0.options.poll, &going, || api::delete_vpc(&client, &id)).await {
            Err(error) if is_code(&error, "InvalidVpcId.NotFound") => Ok(()),
            other => Ok(other?),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Vpc>, ProviderError> {
        self.available(ctx, Filter::Id(id)).await
    }

    async fn find_by_token(&self, ctx: &Ctx, _planned: Vpc) -> Result<Option<Vpc>, ProviderError> {
        self.available(ctx, Filter::Token(ctx.idempotency_token())).await
    }
}
