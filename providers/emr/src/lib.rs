//! The `emr` provider: `emr_cluster` makes a real cluster on this machine, its node groups as
//! namespace hosts (`strata-provider-local`) and its release's services installed, configured,
//! started in dependency order and health-checked over SSH (`strata-deploy`); `emr_metastore`
//! is a Hive metastore database (PostgreSQL) on a host of its own that clusters share. Served
//! as the plugin `strata-provider-emr` by `src/main.rs`; user documentation in
//! `docs/emr-provider.md`.
//!
//! Entry point: [`provider`] (a [`TypedProvider`] with [`ClusterResource`], [`JobResource`]
//! and [`MetastoreResource`]).
//!
//! # Code map
//!
//! Pure, tested with tables and golden files (`testdata/emr/`):
//! - [`model`]: the resource and the provider block as `#[derive(Model)]` structs (the schema);
//!   [`metastore_model`]: `emr_metastore`'s;
//! - [`release`]: what `STRATA-1.0.0` and `STRATA-1.0.1` are (components, artifacts, services, roles, start order,
//!   health checks, which files each service reads);
//! - [`topology`]: a configuration checked against its release, as nodes and their services;
//! - [`render`]: each node's component links, directories, configuration files, launchers and
//!   post-start scripts;
//! - [`config_files`]: the configuration files a cluster manages as one text (`config_files`,
//!   secrets shown by sha256 only), what refresh found in them, and which running services a
//!   change (or a hand edit put back) restarts (`restarts`);
//! - [`metastore_client`]: what a cluster's Spark SQL needs for its metastore (`hive-site.xml`,
//!   Hive support in `spark-defaults.conf`): an `emr_metastore`, or Derby of its own;
//! - [`metastore_render`]: a metastore host's PostgreSQL and its Hive schema script;
//! - [`service_change`]: what adding or removing services of a running cluster stops and
//!   removes on the nodes that stay;
//! - [`thrift`]: the Spark SQL Thrift server's endpoint (`sql_jdbc_url`), its launcher's schema
//!   step and its beeline health check;
//! - [`settings`]: the provider block with its defaults;
//! - [`decommission`]: whether a cluster's workers decommission on SIGPWR, the command, and
//!   when the master is done with a decommissioned worker;
//! - [`installed`]: which version of each component a node runs (`installed_versions`), from
//!   where its component link points;
//! - [`upgrade`]: what a change of `release` does: an in-place rolling upgrade for a
//!   patch-level change between installable releases, a replacement otherwise.
//!
//! I/O: [`bootstrap`] (bootstrap actions: a script run on every node at create),
//! [`machine`] (the cluster's network and hosts, blocking), [`deploy`] (SSH: prepare,
//! start a service across the cluster with health checks, stop, read service status and
//! configuration files in one round trip per host),
//! [`health`] (ruok and the Spark master's JSON over TCP from this machine), [`cluster`]
//! (the `Resource`: plan, create/update = converge, read = drift, delete; its plan in
//! [`cluster_plan`], the wave-by-wave start in [`waves`], read in [`cluster_refresh`], scale in
//! with Spark decommissioning in [`cluster_scale_in`]), [`record`] (how a
//! job finds its cluster by id), [`job`] (`emr_job`: a driver run on the master),
//! [`metastore`] (`emr_metastore`: its host, PostgreSQL, the schema, drift, delete) and
//! [`metastore_record`] (how a cluster finds a metastore by id: address, password, warehouse,
//! network; mode 0600); [`cluster_metastore`] (a cluster's own metastore database on its
//! master, with SPARK_THRIFT and no `emr_metastore`: its record and password). A cluster's network is routed to its metastore's by
//! `strata_provider_local::routing` (see [`machine`]).
//!
//! The deployment is shared: `alicloud_emr_cluster` (providers/alicloud) installs a release on
//! ECS instances with [`topology`], [`render`], [`deploy`] and [`cluster::start_waves`] /
//! [`cluster::check_components`], and writes a [`record`] so `emr_job` runs on it.

pub mod bootstrap;
pub mod cluster;
pub mod cluster_metastore;
pub mod cluster_plan;
pub mod cluster_refresh;
pub mod cluster_scale_in;
pub mod config_files;
pub mod decommission;
pub mod deploy;
pub mod health;
pub mod installed;
pub mod job;
pub mod machine;
pub mod metastore;
pub mod metastore_client;
pub mod metastore_model;
pub mod metastore_record;
pub mod metastore_render;
pub mod model;
pub mod record;
pub mod release;
pub mod render;
pub mod service_change;
pub mod settings;
pub mod thrift;
pub mod topology;
pub mod upgrade;
pub mod waves;

use strata_provider_sdk::{ProviderBuilder, TypedProvider};

pub use cluster::ClusterResource;
pub use job::JobResource;
pub use metastore::MetastoreResource;

/// The `emr` provider.
pub fn provider() -> TypedProvider {
    ProviderBuilder::new("emr", env!("CARGO_PKG_VERSION"))
        .config::<model::Settings>()
        .resource(ClusterResource::default())
        .resource(JobResource::default())
        .resource(MetastoreResource::default())
        .build()
}
