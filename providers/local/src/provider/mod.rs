//! The `local` provider ([`LocalProvider`]): `local_host`, a host on this machine made by
//! [`Network::create_host`], behind the `strata_provider::Provider` trait. `src/main.rs`
//! serves it as the plugin `strata-provider-local`.
//!
//! - **configure** reads the provider block ([`Settings`]): one provider configuration is one
//!   [`Network`], named after the working directory and the state directory
//!   ([`settings::network_name`]). Nothing on the machine changes until a host is read,
//!   created or destroyed; then the network is opened once (with `auto_install = true`,
//!   openssh-server is installed first when missing).
//! - **plan** ([`host_resource::plan`]) is pure: the size is known at plan time, `id`,
//!   `private_ip` and `ssh_host_key_fingerprint` are not; a changed argument (`isolation`
//!   included) or a host whose `status` is not `running` requires replacement. Creating also
//!   checks that this process may make hosts (container hosts: that systemd-nspawn, and
//!   debootstrap until the base root file system is cached, are installed), so `strata plan`
//!   already says what is missing.
//! - **apply** creates the host whose id the idempotency token names ([`host_id`]), off the
//!   async runtime, reporting progress; a host left by an earlier attempt with the same token
//!   is adopted when it runs, else removed first. The first container host on a machine
//!   builds the base root file system first (progress says so). Delete destroys the host (the
//!   bridge goes with the network's last host).
//! - **read** (refresh): no record → `None` (deleted outside Strata); otherwise the host with
//!   its `status`: `running` only when its sshd runs in its namespace and presents the host
//!   key the state records (checked with `ssh-keyscan`), else `broken: <why>`, which the plan
//!   then repairs by replacing the host. **find_by_token** and **import** read the same way.
//!
//! `local_bucket` and `local_bucket_object` (object storage on this machine: directories under
//! `bucket_root` and the files in them) are typed resources on the SDK ([`bucket`],
//! [`bucket_object`]), held in a [`TypedProvider`] that every request for their types goes to.
//! They share the configuration through a [`BucketLayout`] set by `configure`, and need
//! neither root (with a `bucket_root` of the caller's) nor the network.

pub mod bucket;
pub mod bucket_object;
mod errors;
pub mod host_resource;
pub mod install;
mod machine;
pub mod schema;
pub mod settings;

use std::fmt;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use strata_provider::{
    ApplyRequest, ApplyResponse, FindRequest, PlanRequest, PlanResponse, Progress, ProgressSink, Provider,
    ProviderError, ReadRequest, UpgradeRequest,
};
use strata_provider_sdk::{ProviderBuilder, TypedProvider, log};
use strata_schema::ProviderSchema;
use strata_value::Value;

use self::bucket::{BucketResource, LOCAL_BUCKET};
use self::bucket_object::{BucketObjectResource, LOCAL_BUCKET_OBJECT};
use self::errors::provider_error;
use self::host_resource::{HostConfig, HostFacts, attribute, state_value};
use self::machine::{create_or_adopt, look, open_network, prepare_containers};
use self::schema::{LOCAL_HOST, RUNNING};
use crate::buckets::BucketLayout;
use crate::{Error, HostSpec, Isolation, Network, privileges};

pub use self::host_resource::host_id;
pub use self::settings::{Settings, network_name};

/// The `local` provider. Configure once, then any number of concurrent requests.
pub struct LocalProvider {
    settings: OnceLock<Settings>,
    network: tokio::sync::OnceCell<Arc<Network>>,
    /// Where buckets live (from `bucket_root` and `state_dir`), shared with `storage`.
    buckets: Arc<OnceLock<BucketLayout>>,
    /// `local_bucket` and `local_bucket_object`.
    storage: TypedProvider,
}

impl Default for LocalProvider {
    fn default() -> LocalProvider {
        let buckets = Arc::new(OnceLock::new());
        let storage = ProviderBuilder::new("local", env!("CARGO_PKG_VERSION"))
            .resource(BucketResource::new(buckets.clone()))
            .resource(BucketObjectResource::new(buckets.clone()))
            .build();
        LocalProvider { settings: OnceLock::new(), network: tokio::sync::OnceCell::new(), buckets, storage }
    }
}

impl fmt::Debug for LocalProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalProvider")
            .field("settings", &self.settings)
            .field("network", &self.network)
            .field("buckets", &self.buckets)
            .finish_non_exhaustive()
    }
}

/// True for the resource types the typed `storage` provider serves.
fn is_storage(type_name: &str) -> bool {
    type_name == LOCAL_BUCKET || type_name == LOCAL_BUCKET_OBJECT
}

impl LocalProvider {
    pub fn new() -> LocalProvider {
        LocalProvider::default()
    }

    fn settings(&self) -> Result<&Settings, ProviderError> {
        self.settings.get().ok_or_else(|| ProviderError::new("the local provider was used before it was configured"))
    }

    /// The network, opened on first use (installing openssh-server first when allowed).
    async fn network(&self, progress: &ProgressSink) -> Result<Arc<Network>, ProviderError> {
        let settings = self.settings()?.clone();
        let progress = progress.clone();
        let network = self
            .network
            .get_or_try_init(|| async move {
                let network = blocking(move || open_network(&settings, &progress)).await??;
                Ok::<_, ProviderError>(Arc::new(network))
            })
            .await?;
        Ok(network.clone())
    }

    async fn create(&self, planned: &Value, token: &str, progress: &ProgressSink) -> Result<Value, ProviderError> {
        let settings = self.settings()?;
        let config = HostConfig::check(planned)?;
        if token.is_empty() {
            return Err(ProviderError::new("a local_host create needs the engine's idempotency token"));
        }
        let id = host_id(token);
        let hostname = match &config.hostname {
            Some(Value::String(hostname)) => hostname.clone(),
            _ => id.clone(),
        };
        let network = self.network(progress).await?;
        progress.report(Progress::message(format!("network {} ready", network.name())));
        let isolation = config.isolation;
        if isolation == Isolation::Container {
            let (network, settings, progress) = (network.clone(), settings.clone(), progress.clone());
            blocking(move || prepare_containers(&network, &settings, &progress)).await??;
        }
        let spec = HostSpec { id, hostname, instance_type: config.instance_type.name.to_string() };
        log::info(&format!("creating {isolation} host {} ({}) in network {}", spec.id, spec.hostname, network.name()));
        let info = blocking(move || create_or_adopt(&network, &spec, isolation))
            .await?
            .map_err(|e| provider_error(e, settings))?;
        progress.report(Progress::message(format!("sshd accepting on {}:{}", info.ip, info.ssh_port)));
        let facts = HostFacts {
            id: &info.id,
            hostname: &info.hostname,
            ip: info.ip.to_string(),
            instance_type: &info.instance_type,
            isolation,
            host_key_fingerprint: Some(&info.host_key_fingerprint),
            status: RUNNING.to_string(),
        };
        Ok(state_value(settings, &facts))
    }

    async fn delete(&self, prior: &Value, progress: &ProgressSink) -> Result<(), ProviderError> {
        let Some(id) = attribute(prior, "id").as_str().map(str::to_string) else { return Ok(()) };
        let settings = self.settings()?;
        let network = self.network(progress).await?;
        log::info(&format!("destroying host {id} of network {}", network.name()));
        blocking(move || network.destroy_host(&id)).await?.map_err(|error| provider_error(error, settings))?;
        progress.report(Progress::message("host and its namespaces removed"));
        Ok(())
    }

    /// The state of host `id` as found now (`None`: no record of it in this network).
    /// `recorded_key` is the fingerprint the state holds, if any.
    async fn observe(&self, id: String, recorded_key: Option<String>) -> Result<Option<Value>, ProviderError> {
        let settings = self.settings()?;
        let network = self.network(&ProgressSink::default()).await?;
        let recorded = recorded_key.clone();
        let found = blocking(move || look(&network, &id, recorded.as_deref())).await?;
        let Some((report, isolation, status)) = found.map_err(|error| provider_error(error, settings))? else {
            return Ok(None);
        };
        let facts = HostFacts {
            id: &report.id,
            hostname: &report.hostname,
            ip: report.ip.to_string(),
            instance_type: &report.instance_type,
            isolation,
            host_key_fingerprint: report.host_key_fingerprint.as_deref().or(recorded_key.as_deref()),
            status,
        };
        Ok(Some(state_value(settings, &facts)))
    }
}

#[async_trait]
impl Provider for LocalProvider {
    fn schema(&self) -> ProviderSchema {
        let mut schema = schema::provider_schema();
        schema.resources.extend(self.storage.schema().resources);
        schema
    }

    async fn configure(&self, config: Value) -> Result<(), ProviderError> {
        let working_dir = std::env::current_dir()
            .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
        let settings = Settings::from_config(&config, &working_dir)?;
        let buckets = BucketLayout::new(settings::bucket_root(&config, &working_dir)?, &settings.state_dir);
        log::info(&format!(
            "network {} under {} (working directory {})",
            settings.network,
            settings.state_dir.display(),
            working_dir.display()
        ));
        let twice = || ProviderError::new("the local provider cannot be configured twice with different settings");
        match (self.settings.get(), self.buckets.get()) {
            (Some(existing), _) if *existing != settings => Err(twice()),
            (_, Some(existing)) if *existing != buckets => Err(twice()),
            _ => {
                let _ = self.settings.set(settings);
                let _ = self.buckets.set(buckets);
                Ok(())
            }
        }
    }

    async fn validate_resource(&self, type_name: &str, config: &Value) -> Result<(), ProviderError> {
        if is_storage(type_name) {
            return self.storage.validate_resource(type_name, config).await;
        }
        check_type(type_name)?;
        HostConfig::check(config).map(drop)
    }

    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        if is_storage(&request.type_name) {
            return self.storage.plan(request).await;
        }
        check_type(&request.type_name)?;
        let settings = self.settings()?;
        let response = host_resource::plan(settings, request.prior.as_ref(), &request.config)?;
        if request.prior.is_none() || !response.requires_replace.is_empty() {
            // Say now, not halfway through apply, what this machine lacks.
            match privileges::check() {
                Err(Error::SshdMissing { .. }) if settings.auto_install => {}
                Err(error) => return Err(provider_error(error, settings)),
                Ok(()) => {}
            }
            let container = HostConfig::check(&response.planned)?.isolation == Isolation::Container;
            if container && !settings.auto_install {
                privileges::check_container().map_err(|error| provider_error(error, settings))?;
            }
        }
        Ok(response)
    }

    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        if is_storage(&request.type_name) {
            return self.storage.apply(request).await;
        }
        check_type(&request.type_name)?;
        let new_state = match (&request.prior, &request.planned) {
            (Some(prior), None) => {
                self.delete(prior, &request.progress).await?;
                None
            }
            (None, Some(planned)) => Some(self.create(planned, &request.idempotency_token, &request.progress).await?),
            // Every argument forces replacement: an update only fills in computed attributes.
            (Some(_), Some(planned)) if planned.is_wholly_known() => Some(planned.clone()),
            (Some(_), Some(_)) => return Err(ProviderError::new("a local_host cannot be updated in place")),
            (None, None) => None,
        };
        Ok(ApplyResponse { new_state })
    }

    async fn read(&self, request: ReadRequest) -> Result<Option<Value>, ProviderError> {
        if is_storage(&request.type_name) {
            return self.storage.read(request).await;
        }
        check_type(&request.type_name)?;
        let Some(id) = attribute(&request.current, "id").as_str().map(str::to_string) else {
            return Ok(Some(request.current));
        };
        let recorded_key = attribute(&request.current, "ssh_host_key_fingerprint").as_str().map(str::to_string);
        self.observe(id, recorded_key).await
    }

    async fn find_by_token(&self, request: FindRequest) -> Result<Option<Value>, ProviderError> {
        if is_storage(&request.type_name) {
            return self.storage.find_by_token(request).await;
        }
        check_type(&request.type_name)?;
        self.observe(host_id(&request.idempotency_token), None).await
    }

    async fn import(&self, type_name: &str, id: &str) -> Result<Option<Value>, ProviderError> {
        if is_storage(type_name) {
            return self.storage.import(type_name, id).await;
        }
        check_type(type_name)?;
        crate::names::check_host_id(id).map_err(|error| ProviderError::new(error.to_string()))?;
        self.observe(id.to_string(), None).await
    }

    async fn upgrade_state(&self, request: UpgradeRequest) -> Result<Value, ProviderError> {
        if is_storage(&request.type_name) {
            return self.storage.upgrade_state(request).await;
        }
        Ok(request.attributes)
    }
}

fn check_type(type_name: &str) -> Result<(), ProviderError> {
    if type_name == LOCAL_HOST {
        Ok(())
    } else {
        Err(ProviderError::new(format!(
            "the local provider has no resource type \"{type_name}\"; it has {LOCAL_HOST}, {LOCAL_BUCKET} and \
             {LOCAL_BUCKET_OBJECT}"
        )))
    }
}

/// Runs blocking work (commands, `/proc`, waits) off the async runtime's threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ProviderError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ProviderError::outcome_unknown(format!("the local provider's worker thread failed: {error}")))
}
