//! [`ProviderBuilder`]: typed resources and data sources → one [`Provider`].

use std::any::Any;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use strata_provider::{
    ApplyRequest, ApplyResponse, FindRequest, PlanRequest, PlanResponse, Provider, ProviderError, ReadRequest,
    UpgradeRequest,
};
use strata_schema::{BlockSchema, ProviderSchema};
use strata_value::Value;

use crate::adapter::{AnyDataSource, AnyResource, DataSourceAdapter, ResourceAdapter};
use crate::{Ctx, DataSource, Model, PluginInfo, Resource};

type Configuration = Arc<dyn Any + Send + Sync>;

/// How the provider's own configuration block is read.
struct ConfigModel {
    schema: BlockSchema,
    decode: fn(&Value) -> Result<Configuration, ProviderError>,
}

/// Collects a provider's resources, data sources, configuration model and concurrency limit,
/// then [`build`](ProviderBuilder::build)s the [`Provider`] (the crate doc has a whole plugin):
///
/// ```text
/// ProviderBuilder::new("test", env!("CARGO_PKG_VERSION"))
///     .config::<Config>()
///     .concurrency_limit(4)
///     .resource(Thing)
///     .build()
///     .run()
/// ```
pub struct ProviderBuilder {
    info: PluginInfo,
    config: Option<ConfigModel>,
    concurrency_limit: Option<usize>,
    resources: BTreeMap<String, Arc<dyn AnyResource>>,
    data_sources: BTreeMap<String, Arc<dyn AnyDataSource>>,
}

impl ProviderBuilder {
    /// A provider named `name` (its resource types start with `name_`), of `version`.
    pub fn new(name: &'static str, version: &'static str) -> ProviderBuilder {
        ProviderBuilder {
            info: PluginInfo { name, version },
            config: None,
            concurrency_limit: None,
            resources: BTreeMap::new(),
            data_sources: BTreeMap::new(),
        }
    }

    /// The `provider "NAME" { }` block is a `C`; resources find it with
    /// [`Ctx::provider_config`]. Without it the block is empty and anything is accepted.
    pub fn config<C: Model>(mut self) -> ProviderBuilder {
        self.config = Some(ConfigModel {
            schema: C::schema(),
            decode: |value| C::decode(value).map(|config| Arc::new(config) as Configuration),
        });
        self
    }

    /// At most `limit` of this provider's operations in flight (the engine enforces it).
    pub fn concurrency_limit(mut self, limit: usize) -> ProviderBuilder {
        self.concurrency_limit = Some(limit);
        self
    }

    /// Adds a resource type.
    ///
    /// # Panics
    /// A resource type of the same name was added already.
    pub fn resource<R: Resource>(mut self, resource: R) -> ProviderBuilder {
        let previous = self.resources.insert(R::TYPE_NAME.to_owned(), Arc::new(ResourceAdapter(resource)));
        assert!(previous.is_none(), "resource type {} added twice", R::TYPE_NAME);
        self
    }

    /// Adds a data source type.
    ///
    /// # Panics
    /// A data source of the same name was added already.
    pub fn data_source<D: DataSource>(mut self, data_source: D) -> ProviderBuilder {
        let previous = self.data_sources.insert(D::TYPE_NAME.to_owned(), Arc::new(DataSourceAdapter(data_source)));
        assert!(previous.is_none(), "data source {} added twice", D::TYPE_NAME);
        self
    }

    pub fn build(self) -> TypedProvider {
        TypedProvider {
            info: self.info,
            config: self.config,
            concurrency_limit: self.concurrency_limit,
            resources: self.resources,
            data_sources: self.data_sources,
            configured: RwLock::new(None),
        }
    }
}

/// The [`Provider`] a [`ProviderBuilder`] makes: each request goes to the resource or data
/// source its `type_name` names; a type it does not have is an error.
pub struct TypedProvider {
    info: PluginInfo,
    config: Option<ConfigModel>,
    concurrency_limit: Option<usize>,
    resources: BTreeMap<String, Arc<dyn AnyResource>>,
    data_sources: BTreeMap<String, Arc<dyn AnyDataSource>>,
    configured: RwLock<Option<Configuration>>,
}

impl TypedProvider {
    /// The name and version given to [`ProviderBuilder::new`], for [`run`](crate::run).
    pub fn info(&self) -> PluginInfo {
        self.info
    }

    /// Serves this provider on stdin/stdout: `fn main() -> ExitCode { provider().run() }`.
    pub fn run(self) -> ExitCode {
        let info = self.info;
        crate::run(Arc::new(self), info)
    }

    fn resource(&self, type_name: &str) -> Result<(&dyn AnyResource, Ctx), ProviderError> {
        match self.resources.get(type_name) {
            Some(resource) => Ok((resource.as_ref(), self.ctx(type_name))),
            None => {
                Err(ProviderError::new(format!("provider \"{}\" has no resource type \"{type_name}\"", self.info.name)))
            }
        }
    }

    fn ctx(&self, type_name: &str) -> Ctx {
        let ctx = Ctx::new(type_name);
        match self.configured.read().expect("configuration lock").clone() {
            Some(config) => ctx.with_provider_config(config),
            None => ctx,
        }
    }
}

#[async_trait]
impl Provider for TypedProvider {
    fn schema(&self) -> ProviderSchema {
        ProviderSchema {
            config: self.config.as_ref().map(|c| c.schema.clone()).unwrap_or_default(),
            resources: self.resources.iter().map(|(name, r)| (name.clone(), r.schema())).collect(),
            data_sources: self.data_sources.iter().map(|(name, d)| (name.clone(), d.schema())).collect(),
        }
    }

    fn concurrency_limit(&self) -> Option<usize> {
        self.concurrency_limit
    }

    async fn configure(&self, config: Value) -> Result<(), ProviderError> {
        if let Some(model) = &self.config {
            let decoded = (model.decode)(&config)?;
            *self.configured.write().expect("configuration lock") = Some(decoded);
        }
        Ok(())
    }

    async fn validate_resource(&self, type_name: &str, _config: &Value) -> Result<(), ProviderError> {
        self.resource(type_name).map(|_| ())
    }

    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        let (resource, ctx) = self.resource(&request.type_name)?;
        resource.plan(&ctx, request).await
    }

    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let (resource, ctx) = self.resource(&request.type_name)?;
        let ctx = ctx.with_idempotency_token(request.idempotency_token.clone()).with_progress(request.progress.clone());
        resource.apply(&ctx, request).await
    }

    async fn read(&self, request: ReadRequest) -> Result<Option<Value>, ProviderError> {
        let (resource, ctx) = self.resource(&request.type_name)?;
        resource.read(&ctx, request.current).await
    }

    async fn find_by_token(&self, request: FindRequest) -> Result<Option<Value>, ProviderError> {
        let (resource, ctx) = self.resource(&request.type_name)?;
        resource.find_by_token(&ctx.with_idempotency_token(request.idempotency_token), request.planned).await
    }

    async fn import(&self, type_name: &str, id: &str) -> Result<Option<Value>, ProviderError> {
        let (resource, ctx) = self.resource(type_name)?;
        resource.import(&ctx, id).await
    }

    async fn upgrade_state(&self, request: UpgradeRequest) -> Result<Value, ProviderError> {
        let (resource, ctx) = self.resource(&request.type_name)?;
        resource.upgrade(&ctx, request.schema_version, request.attributes).await
    }

    async fn read_data(&self, type_name: &str, config: Value) -> Result<Value, ProviderError> {
        let Some(data_source) = self.data_sources.get(type_name) else {
            return Err(ProviderError::new(format!(
                "provider \"{}\" has no data source \"{type_name}\"",
                self.info.name
            )));
        };
        data_source.read(&self.ctx(type_name), config).await
    }
}
