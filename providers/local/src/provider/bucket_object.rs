//! `local_bucket_object` ([`BucketObjectResource`]): a file in a `local_bucket`, from a local
//! file (`source`) or a string (`content`); `crate::bucket_objects` does the writing.
//!
//! - **plan** checks the key and that exactly one of `source`/`content` is set, and hashes
//!   the content (reading `source`, relative to the working directory), so a changed source
//!   file shows as an update (`sha256`, `size`), like `emr_job`'s `main_sha256`. `id`, `path`
//!   and `url` are known at plan time.
//! - **create** and **update** write the file atomically (mode 0644, directories made as the
//!   key needs), refusing a source that no longer hashes as planned.
//! - **read**: no file → gone (created again by the next apply); a file changed outside
//!   Strata → its actual `sha256`/`size`, so the plan shows the drift and apply rewrites it.
//! - **delete** removes the file and the directories it leaves empty, never the bucket.
//!
//! An OSS object in the alicloud provider would take the same arguments (`bucket`, `key`,
//! `source` or `content`), so configurations move between the two providers.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use strata_provider_sdk::{Ctx, Model, Plan, Planned, ProviderError, Resource, async_trait};

use super::blocking;
use super::bucket::{bucket_error, layout};
use crate::bucket_names::{check_bucket_name, check_object_key, key_depth};
use crate::bucket_objects::{self, ObjectContent, ObjectDigest, digest_bytes, digest_file};
use crate::buckets::{BucketLayout, file_url};

pub const LOCAL_BUCKET_OBJECT: &str = "local_bucket_object";

/// An object: a file in a local_bucket, written from a local file or a string.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct BucketObject {
    /// Name (id) of the bucket: refer to it, bucket = local_bucket.NAME.id.
    #[strata(required, force_new)]
    pub bucket: String,
    /// Path of the object inside the bucket, such as "input/2026/part-0000.csv" (no leading
    /// "/", no "." or ".." segments).
    #[strata(required, force_new)]
    pub key: String,
    /// A local file to upload (relative paths are taken from the working directory). Exactly
    /// one of source and content.
    #[strata(optional)]
    pub source: Option<String>,
    /// The object's content, as a string. Exactly one of source and content.
    #[strata(optional)]
    pub content: Option<String>,
    /// BUCKET/KEY.
    #[strata(computed)]
    pub id: Option<String>,
    /// The object's file: BUCKET_ROOT/BUCKET/KEY.
    #[strata(computed)]
    pub path: Option<String>,
    /// file:// and the path.
    #[strata(computed)]
    pub url: Option<String>,
    /// Size in bytes.
    #[strata(computed)]
    pub size: Option<u64>,
    /// sha256 of the content (lowercase hex): a new source file content changes it.
    #[strata(computed)]
    pub sha256: Option<String>,
}

impl BucketObject {
    fn located(mut self, path: &Path, digest: ObjectDigest) -> BucketObject {
        self.id = Some(format!("{}/{}", self.bucket, self.key));
        self.path = Some(path.display().to_string());
        self.url = Some(file_url(path));
        self.size = Some(digest.size);
        self.sha256 = Some(digest.sha256);
        self
    }

    /// Where the object is: the path its state records, else where the layout puts it.
    fn file(&self, layout: &BucketLayout) -> PathBuf {
        self.path.as_ref().map_or_else(|| layout.object_path(&self.bucket, &self.key), PathBuf::from)
    }

    /// The bucket's directory, from the object's path (the key's segments above it).
    fn bucket_dir(&self, layout: &BucketLayout) -> PathBuf {
        let file = self.file(layout);
        file.ancestors().nth(key_depth(&self.key)).map_or_else(|| layout.bucket_dir(&self.bucket), Path::to_path_buf)
    }
}

/// The resource; the layout is set when the provider is configured.
pub struct BucketObjectResource {
    layout: Arc<OnceLock<BucketLayout>>,
}

impl BucketObjectResource {
    pub fn new(layout: Arc<OnceLock<BucketLayout>>) -> BucketObjectResource {
        BucketObjectResource { layout }
    }
}

/// A local path from the configuration, taken from the working directory (the engine's).
fn local_path(path: &str) -> Result<PathBuf, ProviderError> {
    let working_dir = std::env::current_dir()
        .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
    Ok(working_dir.join(path))
}

fn checked(bucket: &str, key: &str) -> Result<(), ProviderError> {
    check_bucket_name(bucket).map_err(|error| ProviderError::at("bucket", error.to_string()))?;
    check_object_key(key).map_err(|error| ProviderError::at("key", error.to_string()))
}

/// Exactly one of `source` and `content` (an unknown one may still turn out null: not judged).
fn check_one_source(source: &Planned<Option<String>>, content: &Planned<Option<String>>) -> Result<(), ProviderError> {
    match (source, content) {
        (Planned::Known(Some(_)), Planned::Known(Some(_))) => Err(ProviderError::at(
            "content",
            "source and content are both set; an object has exactly one: source (a local file) or content (a string)",
        )),
        (Planned::Known(None), Planned::Known(None)) => Err(ProviderError::new(
            "neither source nor content is set; an object needs exactly one: source (a local file) or content \
             (a string)",
        )),
        _ => Ok(()),
    }
}

/// The digest of what the object will hold, when the plan can tell.
async fn planned_digest(
    source: Planned<Option<String>>,
    content: Planned<Option<String>>,
) -> Result<Planned<ObjectDigest>, ProviderError> {
    match (source, content) {
        (_, Planned::Known(Some(content))) => Ok(Planned::Known(digest_bytes(content.as_bytes()))),
        (Planned::Known(Some(source)), _) => {
            let path = local_path(&source)?;
            let read = path.clone();
            let digest = blocking(move || digest_file(&read))
                .await?
                .map_err(|error| ProviderError::at("source", format!("reading {}: {error}", path.display())))?;
            Ok(Planned::Known(digest))
        }
        _ => Ok(Planned::Unknown),
    }
}

impl BucketObjectResource {
    /// Writes the planned object (create and update alike).
    async fn write(&self, ctx: &Ctx, object: BucketObject) -> Result<BucketObject, ProviderError> {
        checked(&object.bucket, &object.key)?;
        let layout = layout(&self.layout)?;
        let (bucket_dir, path) = (layout.bucket_dir(&object.bucket), layout.object_path(&object.bucket, &object.key));
        let source = object.source.as_deref().map(local_path).transpose()?;
        check_one_source(&Planned::Known(object.source.clone()), &Planned::Known(object.content.clone()))?;
        let job = (object.clone(), bucket_dir, source);
        let digest = blocking(move || {
            let (object, bucket_dir, source) = job;
            let content = match (&source, &object.content) {
                (Some(source), _) => ObjectContent::File(source),
                (None, content) => ObjectContent::Bytes(content.as_deref().unwrap_or_default().as_bytes()),
            };
            bucket_objects::write_object(&bucket_dir, &object.bucket, &object.key, content, object.sha256.as_deref())
        })
        .await?
        .map_err(bucket_error)?;
        ctx.status(format!("{} bytes written to {}", digest.size, path.display()));
        Ok(object.located(&path, digest))
    }
}

#[async_trait]
impl Resource for BucketObjectResource {
    type Model = BucketObject;
    const TYPE_NAME: &'static str = LOCAL_BUCKET_OBJECT;

    async fn plan(&self, _ctx: &Ctx, plan: &mut Plan<BucketObject>) -> Result<(), ProviderError> {
        let (bucket, key) = (plan.config::<String>("bucket")?, plan.config::<String>("key")?);
        let (source, content) = (plan.config::<Option<String>>("source")?, plan.config::<Option<String>>("content")?);
        check_one_source(&source, &content)?;
        if let (Planned::Known(bucket), Planned::Known(key)) = (&bucket, &key) {
            checked(bucket, key)?;
            let path = layout(&self.layout)?.object_path(bucket, key);
            let prior_path = plan.prior()?.and_then(|prior| prior.path);
            plan.set("id", format!("{bucket}/{key}"))?;
            plan.set("path", path.display().to_string())?;
            plan.set("url", file_url(&path))?;
            if prior_path.is_some_and(|prior| Path::new(&prior) != path) {
                plan.require_replace("path")?;
            }
        }
        let digest = planned_digest(source, content).await?;
        plan.set("size", digest.as_ref().map(|digest| digest.size))?;
        plan.set("sha256", digest.map(|digest| digest.sha256))?;
        Ok(())
    }

    async fn create(&self, ctx: &Ctx, object: BucketObject) -> Result<BucketObject, ProviderError> {
        self.write(ctx, object).await
    }

    async fn read(&self, _ctx: &Ctx, current: BucketObject) -> Result<Option<BucketObject>, ProviderError> {
        let path = current.file(&layout(&self.layout)?);
        let read = path.clone();
        let found = blocking(move || bucket_objects::read_object(&read)).await?.map_err(bucket_error)?;
        Ok(found.map(|digest| current.located(&path, digest)))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        _prior: BucketObject,
        planned: BucketObject,
    ) -> Result<BucketObject, ProviderError> {
        self.write(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: BucketObject) -> Result<(), ProviderError> {
        let layout = layout(&self.layout)?;
        let bucket_dir = prior.bucket_dir(&layout);
        ctx.log().info(&format!("removing {} from {}", prior.key, bucket_dir.display()));
        blocking(move || bucket_objects::remove_object(&bucket_dir, &prior.key)).await?.map_err(bucket_error)
    }

    /// `strata import ADDRESS <bucket>/<key>`.
    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<BucketObject>, ProviderError> {
        let Some((bucket, key)) = id.split_once('/') else {
            return Err(ProviderError::new(format!(
                "a local_bucket_object is imported by <bucket>/<key>, such as input/2026/a.csv; {id:?} has no '/'"
            )));
        };
        checked(bucket, key).map_err(|error| ProviderError::new(error.message))?;
        let object = BucketObject {
            bucket: bucket.to_string(),
            key: key.to_string(),
            source: None,
            content: None,
            id: None,
            path: None,
            url: None,
            size: None,
            sha256: None,
        };
        self.read(ctx, object).await
    }

    /// A create interrupted after its rename left the planned file: adopt it.
    async fn find_by_token(&self, ctx: &Ctx, planned: BucketObject) -> Result<Option<BucketObject>, ProviderError> {
        let expected = planned.sha256.clone();
        let found = self.read(ctx, planned).await?;
        Ok(found.filter(|object| expected.is_none() || object.sha256 == expected))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use strata_provider_sdk::Value;

    use super::*;
    use crate::buckets::create_bucket;
    use crate::buckets::tests::Scratch;

    /// sha256("hello\n").
    const HELLO: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    fn config(entries: &[(&str, Value)]) -> Value {
        let mut map: BTreeMap<String, Value> =
            [("bucket", Value::from("data")), ("key", Value::from("in/a.txt"))].map(|(k, v)| (k.to_string(), v)).into();
        map.extend(entries.iter().map(|(name, value)| (name.to_string(), value.clone())));
        Value::Map(map)
    }

    async fn plan(
        resource: &BucketObjectResource,
        prior: Option<Value>,
        config: Value,
    ) -> Result<Plan<BucketObject>, ProviderError> {
        let mut plan = Plan::<BucketObject>::new(prior, config);
        resource.plan(&Ctx::new(LOCAL_BUCKET_OBJECT), &mut plan).await.map(|()| plan)
    }

    #[tokio::test]
    async fn plan_hashes_the_content_and_refuses_bad_arguments() {
        let scratch = Scratch::new("object-plan");
        let resource = BucketObjectResource::new(Arc::new(OnceLock::from(scratch.layout())));
        let planned = plan(&resource, None, config(&[("content", Value::from("hello\n"))])).await.unwrap();
        let object = BucketObject::decode(planned.planned_value()).unwrap();
        let path = scratch.0.join("buckets/data/in/a.txt");
        assert_eq!(object.id.as_deref(), Some("data/in/a.txt"));
        assert_eq!(object.path, Some(path.display().to_string()));
        assert_eq!((object.size, object.sha256.as_deref()), (Some(6), Some(HELLO)));

        // Unknown content: so are size and sha256.
        let unknown = config(&[("content", Value::Unknown(strata_value::Type::String))]);
        let planned = plan(&resource, None, unknown).await.unwrap();
        assert!(!planned.planned::<Option<String>>("sha256").unwrap().is_known());

        for (entries, attribute, expected) in [
            (vec![("key", Value::from("../x")), ("content", Value::from(""))], Some("key"), "'.' or '..' segments"),
            (vec![("bucket", Value::from("Data")), ("content", Value::from(""))], Some("bucket"), "only lowercase"),
            (vec![("content", Value::from("")), ("source", Value::from("a"))], Some("content"), "both set"),
            (vec![], None, "neither source nor content is set"),
            (vec![("source", Value::from("/nonexistent/strata/source"))], Some("source"), "reading /nonexistent"),
        ] {
            let error = plan(&resource, None, config(&entries)).await.unwrap_err();
            assert_eq!(error.attribute.as_deref(), attribute, "{}", error.message);
            assert!(error.message.contains(expected), "{}", error.message);
        }
    }

    #[tokio::test]
    async fn write_drift_and_delete() {
        let scratch = Scratch::new("object-lifecycle");
        let layout = scratch.layout();
        let resource = BucketObjectResource::new(Arc::new(OnceLock::from(layout.clone())));
        let ctx = Ctx::new(LOCAL_BUCKET_OBJECT);
        let source = scratch.0.join("source.txt");
        std::fs::write(&source, "hello\n").unwrap();
        let config = config(&[("source", Value::from(source.display().to_string()))]);
        let planned =
            BucketObject::decode(plan(&resource, None, config.clone()).await.unwrap().planned_value()).unwrap();

        let error = resource.create(&ctx, planned.clone()).await.unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some("bucket"));
        assert!(error.message.starts_with("bucket data does not exist"), "{}", error.message);

        create_bucket(&layout, "data", "t").unwrap();
        let made = resource.create(&ctx, planned.clone()).await.unwrap();
        assert_eq!(made, planned, "the object is what the plan said");
        assert_eq!(resource.read(&ctx, made.clone()).await.unwrap(), Some(made.clone()));
        assert_eq!(resource.find_by_token(&ctx, planned.clone()).await.unwrap(), Some(made.clone()));
        assert_eq!(resource.import(&ctx, "data/in/a.txt").await.unwrap().unwrap().sha256.as_deref(), Some(HELLO));

        // Changed behind Strata's back: read reports it, the plan rewrites it.
        let path = PathBuf::from(made.path.clone().unwrap());
        std::fs::write(&path, "edited\n").unwrap();
        let drifted = resource.read(&ctx, made.clone()).await.unwrap().unwrap();
        assert_ne!(drifted.sha256.as_deref(), Some(HELLO));
        let repair = plan(&resource, Some(drifted.encode()), config).await.unwrap();
        assert!(repair.requires_replace().is_empty());
        let repaired =
            resource.update(&ctx, drifted, BucketObject::decode(repair.planned_value()).unwrap()).await.unwrap();
        assert_eq!((repaired, std::fs::read_to_string(&path).unwrap()), (made.clone(), "hello\n".to_string()));

        resource.delete(&ctx, made.clone()).await.unwrap();
        assert!(!scratch.0.join("buckets/data/in").exists() && scratch.0.join("buckets/data").is_dir());
        assert_eq!(resource.read(&ctx, made).await.unwrap(), None);
    }
}
