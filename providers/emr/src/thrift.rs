//! The Spark SQL Thrift server (`SPARK_THRIFT`, service `spark-thrift-server`) on a cluster
//! (pure): its endpoint (`sql_jdbc_url`), the launcher's `init` commands Strata gives it in
//! place of the catalog's, and its health check beyond the catalog's open port (a `SELECT 1`
//! through beeline on the node).
//!
//! The catalog's `init` runs SchemaTool `-create` on every start, which fails on a schema that
//! exists. Strata runs the same commands once instead, from the guarded script a metastore uses
//! ([`crate::metastore_render::schema_script`]): on a cluster with its own metastore database
//! (PostgreSQL on the master) the server's launcher runs that script before the server starts
//! (it does nothing once the schema is marked complete); with an `emr_metastore` the metastore
//! made the schema already, so the launcher only starts the server.

use crate::render::BIN_DIR;

/// The database a JDBC client lands in.
pub const DEFAULT_DATABASE: &str = "default";
/// How long one beeline check may take on the node (a JVM start and one query).
const BEELINE_TIMEOUT_SECONDS: u32 = 60;

/// `jdbc:hive2://IP:PORT/default`.
pub fn sql_jdbc_url(ip: &str, port: u16) -> String {
    format!("jdbc:hive2://{ip}:{port}/{DEFAULT_DATABASE}")
}

/// The command that asks the server at `ip:port` for `SELECT 1` with the node's beeline,
/// bounded in time; its standard output ends with the line `1` when the server answers.
pub fn beeline_check(ip: &str, port: u16) -> String {
    format!(
        "timeout {BEELINE_TIMEOUT_SECONDS} {BIN_DIR}/beeline -u '{}' -n root --silent=true --outputformat=csv2 \
         -e 'SELECT 1 AS ready'",
        sql_jdbc_url(ip, port)
    )
}

/// Whether beeline's standard output is the answer to [`beeline_check`]'s query.
pub fn answered(stdout: &str) -> bool {
    stdout.lines().map(str::trim).any(|line| line == "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_and_check() {
        assert_eq!(sql_jdbc_url("10.232.0.2", 10000), "jdbc:hive2://10.232.0.2:10000/default");
        assert_eq!(
            beeline_check("10.232.0.2", 10000),
            "timeout 60 /opt/strata/bin/beeline -u 'jdbc:hive2://10.232.0.2:10000/default' -n root --silent=true \
             --outputformat=csv2 -e 'SELECT 1 AS ready'"
        );
        assert!(answered("ready\n1\n"));
        assert!(!answered("ready\n"));
        assert!(!answered("Error: Could not open client transport with JDBC Uri\n"));
    }
}
