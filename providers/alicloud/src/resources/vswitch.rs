//! `alicloud_vswitch`: a subnet of a VPC in one zone (`CreateVSwitch`, then waiting for
//! `Available`).

use std::sync::Arc;

use strata_provider_sdk::{Ctx, Model, Plan, ProviderError, Resource, async_trait};

use super::{is_code, poll, settle, token};
use crate::api::vpc::{self as api, Filter, NewVSwitch};
use crate::client::CallError;
use crate::settings::Shared;

/// A vSwitch: a subnet of a VPC in one zone, where instances get their private addresses.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct VSwitch {
    /// The VPC, `vpc-...`.
    #[strata(required, force_new)]
    pub vpc_id: String,
    /// IPv4 CIDR block inside the VPC's (mask /16 to /29), e.g. "10.0.1.0/24".
    #[strata(required, force_new)]
    pub cidr_block: String,
    /// The zone, e.g. "cn-hangzhou-h".
    #[strata(required, force_new)]
    pub zone_id: String,
    /// Name (up to 128 characters); changed in place.
    pub name: Option<String>,
    /// The vSwitch id, `vsw-...`.
    #[strata(computed)]
    pub id: Option<String>,
}

pub struct VSwitchResource(pub Arc<Shared>);

/// The attribute an error of `CreateVSwitch` is about.
fn attribute_of(error: &CallError) -> Option<&'static str> {
    match error.code()? {
        code if code.starts_with("InvalidVpcId") || code == "IncorrectVpcStatus" => Some("vpc_id"),
        code if code.starts_with("InvalidZoneId") => Some("zone_id"),
        code if code.starts_with("InvalidCidrBlock") => Some("cidr_block"),
        _ => None,
    }
}

impl VSwitchResource {
    fn state(vswitch: &api::VSwitch) -> VSwitch {
        VSwitch {
            vpc_id: vswitch.vpc_id.clone(),
            cidr_block: vswitch.cidr_block.clone(),
            zone_id: vswitch.zone_id.clone(),
            name: Some(vswitch.vswitch_name.clone()).filter(|name| !name.is_empty()),
            id: Some(vswitch.vswitch_id.clone()),
        }
    }

    async fn available(&self, ctx: &Ctx, filter: Filter<'_>) -> Result<Option<VSwitch>, ProviderError> {
        let client = self.0.client(ctx)?;
        let Some(first) = api::describe_vswitches(&client, filter).await?.into_iter().next() else {
            return Ok(None);
        };
        let id = first.vswitch_id;
        let vswitch = poll(self.0.options.poll, || {
            let client = client.clone();
            let id = id.clone();
            async move {
                match api::describe_vswitches(&client, Filter::Id(&id)).await?.into_iter().next() {
                    None => Err(ProviderError::new(format!("vSwitch {id} disappeared while it was being created"))),
                    Some(vswitch) if vswitch.status == "Available" => Ok(Some(vswitch)),
                    Some(_) => Ok(None),
                }
            }
        })
        .await?;
        Ok(Some(Self::state(&vswitch)))
    }
}

#[async_trait]
impl Resource for VSwitchResource {
    type Model = VSwitch;
    const TYPE_NAME: &'static str = "alicloud_vswitch";

    /// The default plan; a provider that cannot make its client (no credentials, no region)
    /// says so at plan time.
    async fn plan(&self, ctx: &Ctx, _plan: &mut Plan<VSwitch>) -> Result<(), ProviderError> {
        self.0.client(ctx).map(drop)
    }

    async fn create(&self, ctx: &Ctx, planned: VSwitch) -> Result<VSwitch, ProviderError> {
        let client = self.0.client(ctx)?;
        let new = NewVSwitch {
            vpc_id: &planned.vpc_id,
            cidr_block: &planned.cidr_block,
            zone_id: &planned.zone_id,
            name: planned.name.as_deref().unwrap_or_default(),
        };
        let id = api::create_vswitch(&client, new, &token(ctx)).await.map_err(|error| match attribute_of(&error) {
            Some(attribute) => error.at(attribute),
            None => error.into(),
        })?;
        ctx.status(format!("{id} created, waiting for it to be available"));
        self.available(ctx, Filter::Id(&id))
            .await?
            .ok_or_else(|| ProviderError::new(format!("vSwitch {id} disappeared while it was being created")))
    }

    async fn read(&self, ctx: &Ctx, current: VSwitch) -> Result<Option<VSwitch>, ProviderError> {
        let Some(id) = current.id else { return Ok(None) };
        let client = self.0.client(ctx)?;
        Ok(api::describe_vswitches(&client, Filter::Id(&id)).await?.first().map(Self::state))
    }

    async fn update(&self, ctx: &Ctx, prior: VSwitch, mut planned: VSwitch) -> Result<VSwitch, ProviderError> {
        let id = prior.id.clone().ok_or_else(|| ProviderError::new("the vSwitch's id is not in state"))?;
        if planned.name != prior.name {
            let client = self.0.client(ctx)?;
            let name = planned.name.as_deref().unwrap_or_default();
            api::rename_vswitch(&client, &id, name).await.map_err(|error| error.at("name"))?;
        }
        planned.id = Some(id);
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: VSwitch) -> Result<(), ProviderError> {
        let Some(id) = prior.id else { return Ok(()) };
        let client = self.0.client(ctx)?;
        // Instances deleted just before are `Stopping` for a while: wait for them to go.
        match settle(self.0.options.poll, &["DependencyViolation"], || api::delete_vswitch(&client, &id)).await {
            Err(error) if is_code(&error, "InvalidVSwitchId.NotFound") => Ok(()),
            other => Ok(other?),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<VSwitch>, ProviderError> {
        self.available(ctx, Filter::Id(id)).await
    }

    async fn find_by_token(&self, ctx: &Ctx, _planned: VSwitch) -> Result<Option<VSwitch>, ProviderError> {
        self.available(ctx, Filter::Token(ctx.idempotency_token())).await
    }
}
