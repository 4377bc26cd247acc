//! The typed traits a provider implements: [`Resource`] and [`DataSource`].

use async_trait::async_trait;
use strata_provider::ProviderError;
use strata_value::Value;

use crate::{Ctx, Model, Plan};

/// A managed resource type, typed by its [`Model`]. The SDK turns requests into calls:
/// `plan` (after the default plan, see [`Plan`]), then on apply `create`, `update` or `delete`;
/// `read` on refresh; `import`, `find_by_token` and `upgrade` when the engine asks.
///
/// Values reaching `create` and `update` are the planned state: every argument is known;
/// computed attributes the plan left unknown are `None`, for the resource to fill in. The model
/// returned is the new state; its `sensitive` fields and every mark the engine sent are kept.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    type Model: Model;

    /// The type name in configuration: `test_thing`.
    const TYPE_NAME: &'static str;

    /// Bumped when the stored attributes change shape; [`Resource::upgrade`] reads the old.
    const SCHEMA_VERSION: u64 = 0;

    /// Changes the default plan: plan attributes unknown that an update will change, fill in
    /// values, require replacement. The default keeps it.
    async fn plan(&self, ctx: &Ctx, plan: &mut Plan<Self::Model>) -> Result<(), ProviderError> {
        let _ = (ctx, plan);
        Ok(())
    }

    /// Makes the object. Use `ctx.idempotency_token()` to tag it when you can.
    async fn create(&self, ctx: &Ctx, planned: Self::Model) -> Result<Self::Model, ProviderError>;

    /// The object as it is now; `None` when it is gone.
    async fn read(&self, ctx: &Ctx, current: Self::Model) -> Result<Option<Self::Model>, ProviderError>;

    /// Changes the object in place (replacements are a create and a delete instead).
    async fn update(&self, ctx: &Ctx, prior: Self::Model, planned: Self::Model) -> Result<Self::Model, ProviderError>;

    /// Removes the object.
    async fn delete(&self, ctx: &Ctx, prior: Self::Model) -> Result<(), ProviderError>;

    /// `strata import ADDR ID`: the object with this id, `None` when there is none. The
    /// default refuses.
    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Self::Model>, ProviderError> {
        let _ = id;
        Err(ProviderError::new(format!("{} does not support import", ctx.type_name())))
    }

    /// After an interrupted create: the object that create made (found by
    /// `ctx.idempotency_token()`), if any. The default finds nothing, which is right only for a
    /// resource that cannot tag what it creates.
    async fn find_by_token(&self, ctx: &Ctx, planned: Self::Model) -> Result<Option<Self::Model>, ProviderError> {
        let _ = (ctx, planned);
        Ok(None)
    }

    /// State stored by schema version `schema_version` → the current model. The default reads
    /// it as the current model.
    async fn upgrade(&self, ctx: &Ctx, schema_version: u64, attributes: Value) -> Result<Self::Model, ProviderError> {
        let _ = (ctx, schema_version);
        Self::Model::decode(&attributes)
    }
}

/// A data source type: reads an object the configuration describes. Computed attributes of
/// `config` are `None`; fill them in.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    type Model: Model;

    const TYPE_NAME: &'static str;

    async fn read(&self, ctx: &Ctx, config: Self::Model) -> Result<Self::Model, ProviderError>;
}
