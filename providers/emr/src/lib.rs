//! The `emr` provider: `emr_cluster` makes a real cluster on this machine, its node groups as
//! namespace hosts (`strata-provider-local`) and its release's services installed, configured,
//! started in dependency order and health-checked over SSH (`strata-deploy`). Served as the
//! plugin `strata-provider-emr` by `src/main.rs`; user documentation in `docs/emr-provider.md`.
//!
//! Entry point: [`provider`] (a [`TypedProvider`] with [`ClusterResource`] and
//! [`JobResource`]).
//!
//! # Code map
//!
//! Pure, tested with tables and golden files (`testdata/emr/`):
//! - [`model`]: the resource and the provider block as `#[derive(Model)]` structs (the schema);
//! - [`release`]: what `STRATA-1.0.0` is (components, artifacts, services, roles, start order,
//!   health checks, which files each service reads);
//! - [`topology`]: a configuration checked against its release, as nodes and their services;
//! - [`render`]: each node's component links, directories, configuration files and launchers;
//! - [`settings`]: the provider block with its defaults.
//!
//! I/O: [`machine`] (the cluster's network and hosts, blocking), [`deploy`] (SSH: prepare,
//! start a service across the cluster with health checks, stop, read service status),
//! [`health`] (ruok and the Spark master's JSON over TCP from this machine), [`cluster`]
//! (the `Resource`: plan, create/update = converge, read = drift, delete), [`record`] (how a
//! job finds its cluster by id) and [`job`] (`emr_job`: a driver run on the master).

pub mod cluster;
pub mod deploy;
pub mod health;
pub mod job;
pub mod machine;
pub mod model;
pub mod record;
pub mod release;
pub mod render;
pub mod settings;
pub mod topology;

use strata_provider_sdk::{ProviderBuilder, TypedProvider};

pub use cluster::ClusterResource;
pub use job::JobResource;

/// The `emr` provider.
pub fn provider() -> TypedProvider {
    ProviderBuilder::new("emr", env!("CARGO_PKG_VERSION"))
        .config::<model::Settings>()
        .resource(ClusterResource::default())
        .resource(JobResource::default())
        .build()
}
