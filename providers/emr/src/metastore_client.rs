//! What a cluster's Spark SQL needs to find its tables (pure): the Hive metastore client's
//! `hive-site.xml` and the `spark-defaults.conf` values that turn Hive support on, for a
//! cluster with an `emr_metastore` (PostgreSQL, shared with other clusters) or without one
//! (an embedded Derby database of its own).
//!
//! Both are read by drivers only (jobs, `spark-sql`, `pyspark` on a node): Spark loads
//! `hive-site.xml` from its configuration directory, which is on the driver's class path.
//!
//! - **External** (`metastore = emr_metastore.X.id`): the metastore's JDBC URL, the `hive` role
//!   and its password (so the file is mode 0600), no schema creation (the metastore made the
//!   schema with SchemaTool: Hive's lazy creation deadlocks on PostgreSQL), and the metastore's
//!   warehouse, a directory every host of every cluster sees. The PostgreSQL JDBC driver
//!   (POSTGRESQL_JDBC, `/usr/share/java/postgresql.jar`) joins the driver's and executors'
//!   class paths.
//! - **Internal**: Derby under the cluster's `{shared_dir}/metastore_db` with the warehouse in
//!   `{shared_dir}/warehouse`, so tables outlive the job that made them and every job of the
//!   cluster sees them (Spark's default would be a new `metastore_db` in each job's directory).
//!   Embedded Derby is opened by one JVM at a time: two drivers running at once on the
//!   cluster cannot both use the catalog (the second fails to boot the database).

use crate::metastore_record::MetastoreRecord;

/// The Hive client's configuration file, in Spark's configuration directory.
pub const HIVE_SITE: &str = "hive-site.xml";
/// Its mode: an external metastore's password is in it.
pub const HIVE_SITE_MODE: u32 = 0o600;
/// The PostgreSQL JDBC driver (the POSTGRESQL_JDBC component's jar, from Debian's
/// `libpostgresql-jdbc-java`; every namespace host sees the machine's `/usr`).
pub const JDBC_DRIVER_JAR: &str = "/usr/share/java/postgresql.jar";

/// Where managed tables' data goes.
pub fn warehouse_dir(metastore: Option<&MetastoreRecord>, shared_dir: &str) -> String {
    match metastore {
        Some(metastore) => metastore.warehouse_dir.clone(),
        None => format!("{shared_dir}/warehouse"),
    }
}

fn pairs(entries: &[(&str, &str)]) -> Vec<(String, String)> {
    entries.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
}

/// The values of `hive-site.xml` (the user's `config "hive-site.xml"` merges over them).
pub fn hive_site(metastore: Option<&MetastoreRecord>, shared_dir: &str) -> Vec<(String, String)> {
    let warehouse = format!("file:{}", warehouse_dir(metastore, shared_dir));
    match metastore {
        Some(metastore) => pairs(&[
            ("javax.jdo.option.ConnectionURL", &metastore.jdbc_url),
            ("javax.jdo.option.ConnectionDriverName", "org.postgresql.Driver"),
            ("javax.jdo.option.ConnectionUserName", &metastore.username),
            ("javax.jdo.option.ConnectionPassword", &metastore.password),
            ("datanucleus.schema.autoCreateAll", "false"),
            ("hive.metastore.schema.verification", "false"),
            ("hive.metastore.warehouse.dir", &warehouse),
        ]),
        None => pairs(&[
            (
                "javax.jdo.option.ConnectionURL",
                &format!("jdbc:derby:;databaseName={shared_dir}/metastore_db;create=true"),
            ),
            ("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver"),
            ("datanucleus.schema.autoCreateAll", "true"),
            ("hive.metastore.schema.verification", "false"),
            ("hive.metastore.warehouse.dir", &warehouse),
        ]),
    }
}

/// Values merged into `spark-defaults.conf` over the release's defaults (and under the
/// user's): Hive support on, the warehouse, and for an external metastore the JDBC driver.
pub fn spark_defaults(metastore: Option<&MetastoreRecord>, shared_dir: &str) -> Vec<(String, String)> {
    let warehouse = format!("file:{}", warehouse_dir(metastore, shared_dir));
    let mut values = pairs(&[("spark.sql.catalogImplementation", "hive"), ("spark.sql.warehouse.dir", &warehouse)]);
    if metastore.is_some() {
        values.extend(pairs(&[
            ("spark.driver.extraClassPath", JDBC_DRIVER_JAR),
            ("spark.executor.extraClassPath", JDBC_DRIVER_JAR),
        ]));
    }
    values
}

/// Paths a node running Spark must see.
pub fn required(metastore: Option<&MetastoreRecord>) -> Vec<String> {
    metastore.map(|_| vec![JDBC_DRIVER_JAR.to_string()]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metastore_record::tests::sample;

    #[test]
    fn external_and_internal() {
        let record = sample();
        let external = hive_site(Some(&record), "/srv/strata/clusters/c1");
        assert!(external.contains(&("javax.jdo.option.ConnectionPassword".into(), record.password.clone())));
        assert!(external.contains(&(
            "hive.metastore.warehouse.dir".into(),
            "file:/srv/strata/clusters/metastores/m0123456789ab/warehouse".into()
        )));
        let internal = hive_site(None, "/srv/strata/clusters/c1");
        assert_eq!(
            internal[0].1, "jdbc:derby:;databaseName=/srv/strata/clusters/c1/metastore_db;create=true",
            "one Derby database per cluster, in its shared directory"
        );
        assert!(spark_defaults(None, "/s").iter().all(|(key, _)| !key.contains("extraClassPath")));
        assert_eq!(spark_defaults(Some(&record), "/s").len(), 4);
        assert_eq!(required(Some(&record)), [JDBC_DRIVER_JAR]);
    }
}
