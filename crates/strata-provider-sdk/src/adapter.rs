//! Typed resources behind one untyped interface, so a provider can hold many of different
//! models: requests' values are decoded into models, answers encoded back, marks kept.

use async_trait::async_trait;
use strata_provider::{ApplyRequest, ApplyResponse, PlanRequest, PlanResponse, ProviderError};
use strata_schema::ResourceSchema;
use strata_value::Value;

use crate::marks::keep_marks;
use crate::{Ctx, DataSource, Model, Plan, Resource};

/// A [`Resource`] with its model erased.
#[async_trait]
pub(crate) trait AnyResource: Send + Sync {
    fn schema(&self) -> ResourceSchema;
    async fn plan(&self, ctx: &Ctx, request: PlanRequest) -> Result<PlanResponse, ProviderError>;
    async fn apply(&self, ctx: &Ctx, request: ApplyRequest) -> Result<ApplyResponse, ProviderError>;
    async fn read(&self, ctx: &Ctx, current: Value) -> Result<Option<Value>, ProviderError>;
    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError>;
    async fn find_by_token(&self, ctx: &Ctx, planned: Value) -> Result<Option<Value>, ProviderError>;
    async fn upgrade(&self, ctx: &Ctx, schema_version: u64, attributes: Value) -> Result<Value, ProviderError>;
}

pub(crate) struct ResourceAdapter<R>(pub R);

fn answer<M: Model>(model: &M, from: &Value) -> Value {
    keep_marks(model.encode(), from)
}

/// A failed apply's partial state keeps the marks of the planned value, like an answer.
fn partial(mut error: ProviderError, planned: &Value) -> ProviderError {
    error.new_state = error.new_state.map(|state| Box::new(keep_marks(*state, planned)));
    error
}

#[async_trait]
impl<R: Resource> AnyResource for ResourceAdapter<R> {
    fn schema(&self) -> ResourceSchema {
        ResourceSchema {
            version: R::SCHEMA_VERSION,
            description: R::Model::description().to_owned(),
            block: R::Model::schema(),
        }
    }

    async fn plan(&self, ctx: &Ctx, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        if request.config.is_null() {
            return Ok(PlanResponse { planned: Value::Null, requires_replace: Vec::new() });
        }
        let mut plan = Plan::<R::Model>::new(request.prior, request.config);
        self.0.plan(ctx, &mut plan).await?;
        Ok(plan.into_response())
    }

    async fn apply(&self, ctx: &Ctx, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let new_state = match (request.prior, request.planned) {
            (None, None) => None,
            (Some(prior), None) => {
                self.0.delete(ctx, R::Model::decode(&prior)?).await?;
                None
            }
            (None, Some(planned)) => {
                let created = self.0.create(ctx, R::Model::decode(&planned)?).await;
                Some(answer(&created.map_err(|error| partial(error, &planned))?, &planned))
            }
            (Some(prior), Some(planned)) => {
                let (old, new) = (R::Model::decode(&prior)?, R::Model::decode(&planned)?);
                let updated = self.0.update(ctx, old, new).await;
                Some(answer(&updated.map_err(|error| partial(error, &planned))?, &planned))
            }
        };
        Ok(ApplyResponse { new_state })
    }

    async fn read(&self, ctx: &Ctx, current: Value) -> Result<Option<Value>, ProviderError> {
        let found = self.0.read(ctx, R::Model::decode(&current)?).await?;
        Ok(found.map(|model| answer(&model, &current)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        Ok(self.0.import(ctx, id).await?.map(|model| model.encode()))
    }

    async fn find_by_token(&self, ctx: &Ctx, planned: Value) -> Result<Option<Value>, ProviderError> {
        let found = self.0.find_by_token(ctx, R::Model::decode(&planned)?).await?;
        Ok(found.map(|model| answer(&model, &planned)))
    }

    async fn upgrade(&self, ctx: &Ctx, schema_version: u64, attributes: Value) -> Result<Value, ProviderError> {
        let upgraded = self.0.upgrade(ctx, schema_version, attributes.clone()).await?;
        Ok(answer(&upgraded, &attributes))
    }
}

/// A [`DataSource`] with its model erased.
#[async_trait]
pub(crate) trait AnyDataSource: Send + Sync {
    fn schema(&self) -> ResourceSchema;
    async fn read(&self, ctx: &Ctx, config: Value) -> Result<Value, ProviderError>;
}

pub(crate) struct DataSourceAdapter<D>(pub D);

#[async_trait]
impl<D: DataSource> AnyDataSource for DataSourceAdapter<D> {
    fn schema(&self) -> ResourceSchema {
        ResourceSchema { version: 0, description: D::Model::description().to_owned(), block: D::Model::schema() }
    }

    async fn read(&self, ctx: &Ctx, config: Value) -> Result<Value, ProviderError> {
        let state = self.0.read(ctx, D::Model::decode(&config)?).await?;
        Ok(answer(&state, &config))
    }
}
