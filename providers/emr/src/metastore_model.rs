//! The `emr_metastore` resource as a Rust type ([`Metastore`]; `#[derive(Model)]` makes its
//! schema).

use std::collections::BTreeMap;

use strata_provider_sdk::Model;

/// An external Hive metastore database: PostgreSQL on a host of its own, shared by clusters
/// (`metastore = emr_metastore.NAME.id`), with a warehouse directory every cluster sees.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct Metastore {
    /// Metastore name; its host is `<name>-db-0`.
    #[strata(required, force_new)]
    pub name: String,
    /// Size of its host, from the local catalog (default local.c1m2).
    #[strata(optional, force_new, default = "local.c1m2")]
    pub instance_type: String,
    /// Release whose PostgreSQL it runs (default STRATA-1.0.0).
    #[strata(optional, force_new, default = "STRATA-1.0.0")]
    pub release: String,
    /// Unique identifier assigned on create.
    #[strata(computed)]
    pub id: Option<String>,
    /// Address of its host.
    #[strata(computed)]
    pub host: Option<String>,
    /// The database's port.
    #[strata(computed)]
    pub port: Option<i64>,
    /// The database holding the Hive schema.
    #[strata(computed)]
    pub database: Option<String>,
    /// The role clusters log in as.
    #[strata(computed)]
    pub username: Option<String>,
    /// Database password, generated on create.
    #[strata(computed, sensitive)]
    pub password: Option<String>,
    /// JDBC URL of the database.
    #[strata(computed)]
    pub jdbc_url: Option<String>,
    /// Where managed tables' data lives; every host of every cluster sees it.
    #[strata(computed)]
    pub warehouse_dir: Option<String>,
    /// RUNNING when the database runs; DEGRADED otherwise (see services_status).
    #[strata(computed)]
    pub status: Option<String>,
    /// "HOST/SERVICE" = "running" for the database server; anything else is drift.
    #[strata(computed)]
    pub services_status: Option<BTreeMap<String, String>>,
    /// The private key that logs in to its host as root (a path; the state holds no key).
    #[strata(computed)]
    pub ssh_private_key_path: Option<String>,
    /// SHA256 fingerprint of its host's SSH host key.
    #[strata(computed)]
    pub ssh_host_key_fingerprint: Option<String>,
}
