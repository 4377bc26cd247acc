//! The release catalog: fixed bundles of component versions, `NAME-a.b.c`.
//!
//! [`Catalog::builtin`] holds the releases compiled from `catalog/*.hcl`: the 19 EMR releases
//! of the 2017 product (data only: their artifacts come from Apache mirrors this machine cannot
//! reach) and `STRATA-1.0.0`, which installs here (ZooKeeper 3.8.0 from Debian, Spark 4.3.0 from
//! PyPI, PostgreSQL 15 as the metastore database, the Spark SQL Thrift server), with its fix
//! release `STRATA-1.0.1` (written as `based_on = "STRATA-1.0.0"` plus its changes: fixed Spark
//! defaults). A [`Release`] lists [`Component`]s with their artifacts, [`Service`]s (roles,
//! start/stop commands, [`HealthCheck`], dependencies) and [`ConfigFile`]s;
//! [`Release::start_order`] orders the services a cluster chooses into waves; [`merge_config`]
//! renders a config file from defaults and user values. Versions follow the seed's semantics
//! ([`ReleaseVersion`]).
//!
//! See docs/releases.md for the catalog's contents and its placeholders.

mod based_on;
mod catalog;
mod component;
mod config_file;
mod error;
mod labeled;
mod load;
mod locate;
pub mod placeholder;
mod release;
mod render;
mod role;
mod service;
mod start_order;
mod validate;
mod version;

pub use catalog::{BUILTIN_FILES, Catalog};
pub use component::{Artifact, ArtifactKind, Component};
pub use config_file::{ConfigFile, ConfigFormat, HostEntries};
pub use error::{CatalogError, ConfigError, PlaceholderError, Problem, StartOrderError, UnknownRelease, VersionError};
pub use release::{Release, ReleaseStatus};
pub use render::merge_config;
pub use role::Role;
pub use service::{HealthCheck, Service};
pub use start_order::StartOrder;
pub use validate::validate_release;
pub use version::{ReleaseName, ReleaseVersion, VersionChange};
