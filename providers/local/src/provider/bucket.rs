//! `local_bucket` ([`BucketResource`]): a directory on this machine the provider owns, the
//! local stand-in for an object-store bucket (`crate::buckets` does the work).
//!
//! - **plan**: the name is checked; `id`, `path` and `url` follow from it and `bucket_root`,
//!   so they are known at plan time. A bucket whose path would move (a new `bucket_root`) is
//!   replaced.
//! - **create** refuses a directory that is already there (names are unique on the machine,
//!   like BucketAlreadyExists) unless an interrupted attempt of the same create made it.
//! - **read**: no directory → gone (the next plan creates it again).
//! - **delete** refuses a bucket holding objects unless `force_destroy` is in the state.
//! - **import** by name takes an existing directory under management.
//!
//! An OSS bucket in the alicloud provider would take the same arguments (`name`,
//! `force_destroy`), so a configuration moves between the two by changing the type's prefix.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use strata_provider_sdk::{Ctx, Model, Plan, Planned, ProviderError, Resource, async_trait};

use super::blocking;
use crate::bucket_names::check_bucket_name;
use crate::buckets::{self, BucketError, BucketLayout, file_url};

pub const LOCAL_BUCKET: &str = "local_bucket";

/// A bucket: a directory on this machine holding objects (files), seen by every namespace host
/// at the same path.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct Bucket {
    /// Bucket name, unique on this machine: 3 to 63 lowercase letters, digits and hyphens,
    /// starting and ending with a letter or digit (as OSS and S3 bucket names).
    #[strata(required, force_new)]
    pub name: String,
    /// Destroy the bucket even when it holds objects Strata did not make (they are deleted).
    #[strata(optional, default = false)]
    pub force_destroy: bool,
    /// The bucket's name.
    #[strata(computed)]
    pub id: Option<String>,
    /// The bucket's directory: BUCKET_ROOT/NAME.
    #[strata(computed)]
    pub path: Option<String>,
    /// file:// and the path, for Spark and Hadoop (file:///mnt/buckets/NAME).
    #[strata(computed)]
    pub url: Option<String>,
}

impl Bucket {
    /// Fills in the computed attributes for the bucket at `path`.
    fn located(mut self, path: &Path) -> Bucket {
        self.id = Some(self.name.clone());
        self.path = Some(path.display().to_string());
        self.url = Some(file_url(path));
        self
    }

    /// Where the bucket is: the path its state records, else where the layout puts it.
    fn dir(&self, layout: &BucketLayout) -> PathBuf {
        self.path.as_ref().map_or_else(|| layout.bucket_dir(&self.name), PathBuf::from)
    }
}

/// The resource; the layout is set when the provider is configured.
pub struct BucketResource {
    layout: Arc<OnceLock<BucketLayout>>,
}

impl BucketResource {
    pub fn new(layout: Arc<OnceLock<BucketLayout>>) -> BucketResource {
        BucketResource { layout }
    }
}

/// The configured layout (shared by both bucket resources).
pub(super) fn layout(layout: &OnceLock<BucketLayout>) -> Result<BucketLayout, ProviderError> {
    layout.get().cloned().ok_or_else(|| ProviderError::new("the local provider was used before it was configured"))
}

/// A bucket error as the provider reports it, attributed where one argument is at fault.
pub(super) fn bucket_error(error: BucketError) -> ProviderError {
    match &error {
        BucketError::AlreadyExists { .. } => ProviderError::at("name", error.to_string()),
        BucketError::Missing { .. } => ProviderError::at("bucket", error.to_string()),
        BucketError::SourceChanged { .. } => ProviderError::at("source", error.to_string()),
        _ => ProviderError::new(error.to_string()),
    }
}

fn checked_name(name: &str) -> Result<(), ProviderError> {
    check_bucket_name(name).map_err(|error| ProviderError::at("name", error.to_string()))
}

#[async_trait]
impl Resource for BucketResource {
    type Model = Bucket;
    const TYPE_NAME: &'static str = LOCAL_BUCKET;

    async fn plan(&self, _ctx: &Ctx, plan: &mut Plan<Bucket>) -> Result<(), ProviderError> {
        let Planned::Known(name) = plan.config::<String>("name")? else { return Ok(()) };
        checked_name(&name)?;
        let path = layout(&self.layout)?.bucket_dir(&name);
        let prior_path = plan.prior()?.and_then(|prior| prior.path);
        plan.set("id", name)?;
        plan.set("path", path.display().to_string())?;
        plan.set("url", file_url(&path))?;
        if prior_path.is_some_and(|prior| Path::new(&prior) != path) {
            plan.require_replace("path")?;
        }
        Ok(())
    }

    async fn create(&self, ctx: &Ctx, bucket: Bucket) -> Result<Bucket, ProviderError> {
        checked_name(&bucket.name)?;
        let layout = layout(&self.layout)?;
        let (name, token) = (bucket.name.clone(), ctx.idempotency_token().to_string());
        let path = blocking(move || buckets::create_bucket(&layout, &name, &token)).await?.map_err(bucket_error)?;
        ctx.status(format!("bucket {} at {}", bucket.name, path.display()));
        Ok(bucket.located(&path))
    }

    async fn read(&self, _ctx: &Ctx, current: Bucket) -> Result<Option<Bucket>, ProviderError> {
        let path = current.dir(&layout(&self.layout)?);
        let found = {
            let path = path.clone();
            blocking(move || buckets::bucket_exists(&path)).await?.map_err(bucket_error)?
        };
        Ok(found.then(|| current.located(&path)))
    }

    async fn update(&self, _ctx: &Ctx, _prior: Bucket, planned: Bucket) -> Result<Bucket, ProviderError> {
        // Only force_destroy can change in place, and it matters only to delete.
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: Bucket) -> Result<(), ProviderError> {
        let layout = layout(&self.layout)?;
        let path = prior.dir(&layout);
        ctx.log().info(&format!("removing bucket {} at {}", prior.name, path.display()));
        blocking(move || buckets::remove_bucket(&layout, &prior.name, &path, prior.force_destroy))
            .await?
            .map_err(bucket_error)
    }

    async fn import(&self, _ctx: &Ctx, id: &str) -> Result<Option<Bucket>, ProviderError> {
        check_bucket_name(id).map_err(|error| ProviderError::new(error.to_string()))?;
        let layout = layout(&self.layout)?;
        let path = layout.bucket_dir(id);
        let name = id.to_string();
        let adopted = blocking(move || buckets::adopt_bucket(&layout, &name)).await?.map_err(bucket_error)?;
        let bucket = Bucket { name: id.to_string(), force_destroy: false, id: None, path: None, url: None };
        Ok(adopted.then(|| bucket.located(&path)))
    }

    async fn find_by_token(&self, ctx: &Ctx, planned: Bucket) -> Result<Option<Bucket>, ProviderError> {
        let layout = layout(&self.layout)?;
        let path = layout.bucket_dir(&planned.name);
        let (name, token) = (planned.name.clone(), ctx.idempotency_token().to_string());
        let found = blocking(move || buckets::found_by_token(&layout, &name, &token)).await?.map_err(bucket_error)?;
        Ok(found.then(|| planned.located(&path)))
    }
}

#[cfg(test)]
mod tests {
    use strata_provider_sdk::Value;

    use super::*;
    use crate::buckets::tests::Scratch;

    fn resource(scratch: &Scratch) -> BucketResource {
        BucketResource::new(Arc::new(OnceLock::from(scratch.layout())))
    }

    fn config(name: &str) -> Value {
        Value::Map([("name".to_string(), Value::from(name)), ("force_destroy".to_string(), Value::from(false))].into())
    }

    #[tokio::test]
    async fn plan_knows_where_the_bucket_goes_and_checks_the_name() {
        let scratch = Scratch::new("bucket-plan");
        let resource = resource(&scratch);
        let ctx = Ctx::new(LOCAL_BUCKET);
        let mut plan = Plan::<Bucket>::new(None, config("input"));
        resource.plan(&ctx, &mut plan).await.unwrap();
        let planned = Bucket::decode(plan.planned_value()).unwrap();
        let path = scratch.0.join("buckets/input");
        assert_eq!(planned.id.as_deref(), Some("input"));
        assert_eq!(planned.path, Some(path.display().to_string()));
        assert_eq!(planned.url, Some(format!("file://{}", path.display())));

        let mut plan = Plan::<Bucket>::new(None, config("Input_1"));
        let error = resource.plan(&ctx, &mut plan).await.unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some("name"));
        assert!(error.message.starts_with("invalid bucket name \"Input_1\""), "{}", error.message);

        // A bucket whose directory would move is replaced.
        let prior = planned.clone().located(Path::new("/elsewhere/input")).encode();
        let mut plan = Plan::<Bucket>::new(Some(prior), config("input"));
        resource.plan(&ctx, &mut plan).await.unwrap();
        assert_eq!(plan.requires_replace(), ["path"]);
    }

    #[tokio::test]
    async fn lifecycle() {
        let scratch = Scratch::new("bucket-lifecycle");
        let resource = resource(&scratch);
        let ctx = Ctx::new(LOCAL_BUCKET).with_idempotency_token("token");
        let bucket = Bucket::decode(&config("data")).unwrap();
        let made = resource.create(&ctx, bucket.clone()).await.unwrap();
        assert!(Path::new(made.path.as_deref().unwrap()).is_dir());
        assert_eq!(resource.find_by_token(&ctx, bucket.clone()).await.unwrap(), Some(made.clone()));
        let other = Ctx::new(LOCAL_BUCKET).with_idempotency_token("other");
        let error = resource.create(&other, bucket.clone()).await.unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some("name"));
        assert_eq!(resource.read(&ctx, made.clone()).await.unwrap(), Some(made.clone()));
        assert_eq!(resource.import(&ctx, "data").await.unwrap(), Some(made.clone()));
        assert_eq!(resource.import(&ctx, "none").await.unwrap(), None);
        assert!(resource.import(&ctx, "No").await.is_err());

        std::fs::write(scratch.0.join("buckets/data/foreign.csv"), "x").unwrap();
        let error = resource.delete(&ctx, made.clone()).await.unwrap_err();
        assert!(error.message.contains("holds 1 object "), "{}", error.message);
        let forced = Bucket { force_destroy: true, ..made.clone() };
        resource.delete(&ctx, forced).await.unwrap();
        assert_eq!(resource.read(&ctx, made).await.unwrap(), None);
    }
}
