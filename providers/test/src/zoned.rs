//! `test_zoned`: an optional+computed argument as Terraform's providers have them. `zone` may
//! be set in the configuration; left unset, the provider picks it ("zone-a" on create) and keeps
//! it on later updates. The engine must send such an unset argument as null, so the SDK's
//! default plan keeps the prior zone (an unknown there would plan "known after apply" forever).
//! Its computed-only `id` must reach the plan as null too, as Terraform sends it: the plan
//! refuses anything else, so a test planning `test_zoned` checks both.

use strata_provider_sdk::{Ctx, Model, Plan, Planned, ProviderError, Resource, async_trait};

pub const ZONED: &str = "test_zoned";

/// An object with a zone the provider picks when none is configured.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct Zoned {
    /// Any name; changed in place.
    #[strata(required)]
    pub name: String,
    /// The zone; "zone-a" when not configured.
    #[strata(optional, computed)]
    pub zone: Option<String>,
    /// The object's id.
    #[strata(computed)]
    pub id: Option<String>,
}

pub struct ZonedResource;

#[async_trait]
impl Resource for ZonedResource {
    type Model = Zoned;
    const TYPE_NAME: &'static str = ZONED;

    async fn plan(&self, _ctx: &Ctx, plan: &mut Plan<Zoned>) -> Result<(), ProviderError> {
        match plan.config::<Option<String>>("id")? {
            Planned::Known(None) => Ok(()),
            other => Err(ProviderError::at(
                "id",
                format!("the computed-only id reached the plan as {other:?}, not null as Terraform sends it"),
            )),
        }
    }

    async fn create(&self, _ctx: &Ctx, mut planned: Zoned) -> Result<Zoned, ProviderError> {
        planned.zone = Some(planned.zone.unwrap_or_else(|| "zone-a".to_owned()));
        planned.id = Some(format!("zoned-{}", planned.name));
        Ok(planned)
    }

    async fn read(&self, _ctx: &Ctx, current: Zoned) -> Result<Option<Zoned>, ProviderError> {
        Ok(Some(current))
    }

    async fn update(&self, _ctx: &Ctx, prior: Zoned, mut planned: Zoned) -> Result<Zoned, ProviderError> {
        planned.zone = planned.zone.or(prior.zone);
        planned.id = prior.id;
        Ok(planned)
    }

    async fn delete(&self, _ctx: &Ctx, _prior: Zoned) -> Result<(), ProviderError> {
        Ok(())
    }
}
