//! What an `emr_metastore`'s host gets (pure), from the release catalog:
//!
//! - the release's PostgreSQL (`POSTGRESQL`, service `metastore-db`): its `postgresql.conf`
//!   and `pg_hba.conf`, its launcher (`init` makes the database cluster once), its health check
//!   (`pg_isready`) and its post-start script (the `hive` role with the password, the
//!   `metastore` database), all through [`Layout`]. Its `{data_dir}` is under the metastore's
//!   shared directory ([`data_root`]), so the database outlives its host; `{cluster_cidr}`
//!   (who may log in, in `pg_hba.conf`) is the provider's subnet pool, where every cluster's
//!   network comes from;
//! - the Hive schema, made once: the catalog's `metastore-schema.properties` (of `SPARK_THRIFT`,
//!   mode 0600) and a script running the commands the catalog gives the Thrift server's `init`
//!   for it (the warehouse directory, `package.jdo` out of `hive-metastore-2.3.10.jar`,
//!   DataNucleus SchemaTool; Hive's own lazy creation deadlocks on PostgreSQL). The script
//!   marks the database when SchemaTool has finished (its comment, [`SCHEMA_MARK`]) and does
//!   nothing once it is marked.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use strata_deploy::operations::FileSpec;
use strata_deploy::{DesiredState, FileContent, Mode, shell_quote};
use strata_provider_sdk::ProviderError;
use strata_release::Component;

use crate::metastore_client::JDBC_DRIVER_JAR;
use crate::render::{HostPlan, LOG_DIR, Layout};
use crate::settings::Resolved;
use crate::topology::Node;

/// The database that holds the Hive schema (made by `metastore-db`'s post-start commands).
pub const DATABASE: &str = "metastore";
/// The role clusters log in as (made by `metastore-db`'s post-start commands).
pub const USERNAME: &str = "hive";
/// The database server's service.
pub const DB_SERVICE: &str = "metastore-db";
/// The component and service whose `init` commands make the schema, and the file they read.
const SCHEMA_COMPONENT: &str = "SPARK_THRIFT";
const SCHEMA_SERVICE: &str = "spark-thrift-server";
const SCHEMA_CONFIG: &str = "metastore-schema.properties";
/// The comment of a database whose schema SchemaTool finished making.
pub const SCHEMA_MARK: &str = "strata: Hive metastore schema complete (DataNucleus SchemaTool, hive-metastore 2.3.10)";
/// SchemaTool's output, on the metastore's host.
const SCHEMA_LOG: &str = "metastore-schema.log";

/// The metastore's directory every host sees: `<shared_root>/metastores/<id>`.
pub fn shared_dir(settings: &Resolved, id: &str) -> PathBuf {
    settings.shared_root.join("metastores").join(id)
}

/// Where managed tables' data lives.
pub fn warehouse_dir(shared_dir: &Path) -> PathBuf {
    shared_dir.join("warehouse")
}

/// Where the metastore's `{data_dir}`s are (the database cluster in `<root>/postgresql/main`).
pub fn data_root(shared_dir: &Path) -> PathBuf {
    shared_dir.join("data")
}

/// `jdbc:postgresql://IP:PORT/metastore`.
pub fn jdbc_url(ip: Ipv4Addr, port: u16) -> String {
    format!("jdbc:postgresql://{ip}:{port}/{DATABASE}")
}

/// What the metastore's host should have.
#[derive(Clone, Debug, PartialEq)]
pub struct MetastorePlan {
    /// The database server's files and service.
    pub host: HostPlan,
    /// The script that makes the Hive schema (once).
    pub schema_script: String,
}

fn catalog_error(what: String) -> ProviderError {
    ProviderError::at("release", format!("{what}, which a metastore needs"))
}

/// The plan of the metastore's `node` (`layout.metastore` is the metastore's own record).
pub fn host_plan(layout: &Layout<'_>, node: &Node) -> Result<MetastorePlan, ProviderError> {
    let mut host = layout.host_plan(node)?;
    let release = layout.topology.release;
    let find = |key: &str| -> Result<&'static Component, ProviderError> {
        release.component(key).ok_or_else(|| catalog_error(format!("{} has no {key}", release.name)))
    };
    let (thrift, spark) = (find(SCHEMA_COMPONENT)?, find("SPARK")?);
    let file = thrift
        .config_file(SCHEMA_CONFIG)
        .ok_or_else(|| catalog_error(format!("{SCHEMA_COMPONENT} of {} has no {SCHEMA_CONFIG}", release.name)))?;
    host.required.extend([layout.home(spark), JDBC_DRIVER_JAR.to_string()]);
    let (properties, _) = layout.config_file(node, thrift, file)?;
    host.files.push(DesiredState::File(properties));
    let script = schema_script(layout, node)?;
    let schema_script = script.path.clone();
    host.files.push(DesiredState::File(script));
    Ok(MetastorePlan { host, schema_script })
}

/// The script that makes the Hive schema once, on the node running the metastore database
/// (`{conf_dir}` of SPARK_THRIFT`/create-schema.sh`, mode 0700): the commands the catalog gives
/// the Thrift server's `init` (which read `metastore-schema.properties` from the same
/// directory), skipped when the database is marked complete, and the mark set once they
/// succeed. Prints `present` or `created`. An `emr_metastore` runs it after its database
/// starts; a cluster with its own metastore database runs it in the Thrift server's launcher.
pub fn schema_script(layout: &Layout<'_>, node: &Node) -> Result<FileSpec, ProviderError> {
    let release = layout.topology.release;
    let find = |key: &str| -> Result<&'static Component, ProviderError> {
        release.component(key).ok_or_else(|| catalog_error(format!("{} has no {key}", release.name)))
    };
    let (thrift, postgres) = (find(SCHEMA_COMPONENT)?, find("POSTGRESQL")?);
    let service = thrift
        .service(SCHEMA_SERVICE)
        .ok_or_else(|| catalog_error(format!("{SCHEMA_COMPONENT} of {} has no {SCHEMA_SERVICE}", release.name)))?;
    let mut steps = Vec::new();
    for init in &service.init {
        steps.push(layout.expand(init, node, thrift, Some(service))?);
    }
    let psql = format!(
        "runuser -u postgres -- {}/bin/psql -h {} -d postgres -tA",
        layout.home(postgres),
        layout.directory_of(postgres, "run_dir")
    );
    let log = format!("{LOG_DIR}/{SCHEMA_LOG}");
    let mark = shell_quote(&format!(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{DATABASE}'"
    ));
    let set_mark = shell_quote(&format!("COMMENT ON DATABASE {DATABASE} IS '{SCHEMA_MARK}'"));
    let script = format!(
        "#!/bin/sh\n\
         # The Hive metastore schema of {name}, written by Strata: made once, with the commands the\n\
         # release catalog gives {SCHEMA_SERVICE} for it (DataNucleus SchemaTool), then marked in the\n\
         # database's comment; a marked database is left as it is.\n\
         set -eu\n\
         if [ \"$({psql} -c {mark})\" = {quoted_mark} ]; then echo present; exit 0; fi\n\
         if ! ( {steps} ) > {log} 2>&1; then\n  \
           echo \"making the Hive schema failed; the end of {log}:\" >&2\n  \
           tail -n 20 {log} >&2\n  \
           exit 1\n\
         fi\n\
         {psql} -c {set_mark} > /dev/null\n\
         echo created\n",
        name = layout.topology.name,
        quoted_mark = shell_quote(SCHEMA_MARK),
        steps = steps.join(" && "),
    );
    Ok(FileSpec {
        path: format!("{}/create-schema.sh", layout.directory_of(thrift, "conf_dir")),
        content: FileContent::text(script),
        mode: Mode(0o700),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use strata_deploy::service::launcher_script;

    use super::*;
    use crate::metastore_record::tests::sample;
    use crate::topology::Topology;

    /// Everything the metastore's host gets, as text (`testdata/emr/render/metastore.txt`;
    /// `STRATA_UPDATE_GOLDEN=1` rewrites it).
    #[test]
    fn metastore_host_golden() {
        let topology = Topology::metastore("shared", "STRATA-1.0.0", "local.c1m2").unwrap();
        let record = sample();
        let ips = [("shared-db-0".to_string(), Ipv4Addr::new(10, 232, 5, 2))].into();
        let host_ids = [("shared-db-0".to_string(), "h0000000000a1".to_string())].into();
        let config = BTreeMap::new();
        let layout = Layout {
            topology: &topology,
            ips: &ips,
            host_ids: &host_ids,
            config: &config,
            component_cache: "/var/cache/strata/components",
            shared_dir: "/srv/strata/clusters/metastores/m0123456789ab",
            cluster_cidr: "10.232.0.0/16",
            metastore: Some(&record),
            data_root: Some("/srv/strata/clusters/metastores/m0123456789ab/data"),
        };
        let plan = host_plan(&layout, topology.master()).unwrap();
        let mut text = format!("--- requires {}\n--- schema {}\n", plan.host.required.join(" "), plan.schema_script);
        for item in &plan.host.files {
            match item {
                DesiredState::Symlink(link) => text.push_str(&format!("--- link {} -> {}\n", link.path, link.target)),
                DesiredState::Directory(dir) => text.push_str(&format!("--- directory {} {}\n", dir.path, dir.mode)),
                DesiredState::File(file) => {
                    let FileContent::Inline(bytes) = &file.content else { panic!("inline content") };
                    text.push_str(&format!("--- file {} {}\n{}", file.path, file.mode, String::from_utf8_lossy(bytes)));
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        for planned in &plan.host.services {
            text.push_str(&format!(
                "--- service {} (health {:?}, {} s, post-start {:?})\n{}",
                planned.service.name,
                planned.health,
                planned.start_timeout.as_secs(),
                planned.post_start,
                launcher_script(&planned.spec)
            ));
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/emr/render/metastore.txt");
        if std::env::var_os("STRATA_UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(expected == text, "{} differs (STRATA_UPDATE_GOLDEN=1 rewrites it):\n{text}", path.display());
        assert_eq!(jdbc_url(Ipv4Addr::new(10, 232, 5, 2), 5432), "jdbc:postgresql://10.232.5.2:5432/metastore");
    }
}
