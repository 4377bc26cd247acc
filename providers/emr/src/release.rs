//! The releases a cluster can run, from the release catalog (`strata-release`): which releases
//! install on local hosts, which of their components this provider runs, and the cluster-wide
//! values its templates name (ports of the services that other placeholders point at).

use strata_provider_sdk::ProviderError;
use strata_release::{Catalog, Component, Release, Service};

/// Node-group roles, as in E-MapReduce.
pub const ROLES: [&str; 4] = ["MASTER", "CORE", "TASK", "GATEWAY"];

/// Components a cluster runs on local hosts, named in `services`. The catalog's others are
/// refused with a message saying so: PostgreSQL and its JDBC driver come only with the Spark
/// SQL Thrift server (the database of its metastore, on the master); a PostgreSQL metastore of
/// its own is an `emr_metastore` (its own host, shared by clusters).
pub const SUPPORTED_COMPONENTS: [&str; 3] = ["ZOOKEEPER", "SPARK", "SPARK_THRIFT"];
/// The Spark SQL Thrift server's component, and what it brings along (not named on their own).
pub const SPARK_THRIFT: &str = "SPARK_THRIFT";
pub const BROUGHT_BY_SPARK_THRIFT: [&str; 2] = ["POSTGRESQL", "POSTGRESQL_JDBC"];
/// The component and service of a cluster's own metastore database (with SPARK_THRIFT).
pub const POSTGRESQL: &str = "POSTGRESQL";
pub const METASTORE_DB_SERVICE: &str = "metastore-db";
/// The Spark SQL Thrift server's service.
pub const SPARK_THRIFT_SERVICE: &str = "spark-thrift-server";

/// The service whose hosts `{zookeeper_connect}` lists.
pub const ZOOKEEPER_SERVICE: &str = "zookeeper-server";
/// The service whose hosts `{spark_master_url}` lists.
pub const SPARK_MASTER_SERVICE: &str = "spark-master";
/// The service that must also be registered with a master (see [`crate::deploy`]).
pub const SPARK_WORKER_SERVICE: &str = "spark-worker";

/// The release called `name`, if this machine can install it.
pub fn release(name: &str) -> Result<&'static Release, ProviderError> {
    let release = Catalog::builtin().get(name).map_err(|error| ProviderError::at("release", error.to_string()))?;
    if !release.installable {
        return Err(ProviderError::at(
            "release",
            format!(
                "{name} ({}) is in the release catalog but cannot be installed on this machine: its artifacts come \
                 from Apache mirrors this machine cannot reach; use an installable release such as STRATA-1.0.0",
                release.status
            ),
        ));
    }
    Ok(release)
}

/// The components `services = [...]` brings (what they require included), in release order.
pub fn components(release: &'static Release, services: &[String]) -> Result<Vec<&'static Component>, ProviderError> {
    let selection: Vec<&str> = services.iter().map(String::as_str).collect();
    for name in &selection {
        if release.component(name).is_none() {
            let known: Vec<&str> = release.components.iter().map(|component| component.key.as_str()).collect();
            return Err(ProviderError::at(
                "services",
                format!("{name:?} is not a component of {}; it has {}", release.name, known.join(", ")),
            ));
        }
        if selection.iter().filter(|other| *other == name).count() > 1 {
            return Err(ProviderError::at("services", format!("{name:?} is listed twice")));
        }
    }
    let components =
        release.components_for(&selection).map_err(|error| ProviderError::at("services", error.to_string()))?;
    let thrift = components.iter().any(|component| component.key == SPARK_THRIFT);
    let supported = |key: &str| {
        SUPPORTED_COMPONENTS.contains(&key)
            || (thrift && BROUGHT_BY_SPARK_THRIFT.contains(&key) && !selection.contains(&key))
    };
    if let Some(unsupported) = components.iter().find(|component| !supported(component.key.as_str())) {
        let needed_by: Vec<&str> = components
            .iter()
            .filter(|component| component.requires.contains(&unsupported.key))
            .map(|component| component.key.as_str())
            .collect();
        let why = if needed_by.is_empty() { String::new() } else { format!(" (required by {})", needed_by.join(", ")) };
        let instead = if unsupported.key.starts_with("POSTGRESQL") {
            "; it comes along with SPARK_THRIFT (the database of its metastore), and a PostgreSQL Hive metastore \
             shared by clusters is an emr_metastore, which clusters name in `metastore`"
        } else {
            ""
        };
        return Err(ProviderError::at(
            "services",
            format!(
                "{} {} ({}){why} is not supported on local clusters yet; they run {}{instead}",
                unsupported.key,
                unsupported.version,
                unsupported.display_name,
                SUPPORTED_COMPONENTS.join(", ")
            ),
        ));
    }
    Ok(components)
}

/// The services of `components`, in start order: waves whose services depend only on earlier
/// waves (each wave's services start in parallel across the cluster).
pub fn start_waves(
    release: &'static Release,
    components: &[&Component],
) -> Result<Vec<Vec<&'static Service>>, ProviderError> {
    let selection: Vec<&str> = components.iter().map(|component| component.key.as_str()).collect();
    let order = release.start_order(&selection).map_err(|error| ProviderError::at("services", error.to_string()))?;
    Ok(order.waves().to_vec())
}

/// [`start_waves`] where `provided` services run elsewhere (the metastore database of an
/// `emr_metastore`): dependencies on them are met, and they are not started.
pub fn start_waves_provided(
    release: &'static Release,
    components: &[&Component],
    provided: &[&str],
) -> Result<Vec<Vec<&'static Service>>, ProviderError> {
    let selection: Vec<&str> = components.iter().map(|component| component.key.as_str()).collect();
    let order = release
        .start_order_provided(&selection, provided)
        .map_err(|error| ProviderError::at("services", error.to_string()))?;
    Ok(order.waves().to_vec())
}

/// The first port a service listens on (its client port: ZooKeeper's 2181, the Spark
/// master's 7077).
pub fn port(release: &Release, service: &str, index: usize) -> Option<u16> {
    release.service(service).and_then(|service| service.ports.get(index).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(waves: &[Vec<&'a Service>]) -> Vec<Vec<&'a str>> {
        waves.iter().map(|wave| wave.iter().map(|service| service.name.as_str()).collect()).collect()
    }

    #[test]
    fn strata_1_0_0_starts_zookeeper_then_masters_then_workers() {
        let release = release("STRATA-1.0.0").unwrap();
        let chosen = components(release, &["SPARK".to_string()]).unwrap();
        let keys: Vec<&str> = chosen.iter().map(|component| component.key.as_str()).collect();
        assert_eq!(keys, ["ZOOKEEPER", "SPARK"], "SPARK brings ZOOKEEPER");
        assert_eq!(
            names(&start_waves(release, &chosen).unwrap()),
            [vec!["zookeeper-server"], vec!["spark-master"], vec!["spark-worker", "spark-history-server"]]
        );
        assert_eq!(port(release, ZOOKEEPER_SERVICE, 0), Some(2181));
        assert_eq!(port(release, SPARK_MASTER_SERVICE, 1), Some(8080));
    }

    #[test]
    fn spark_thrift_brings_its_metastore_database() {
        let release = release("STRATA-1.0.0").unwrap();
        let chosen = components(release, &["SPARK".to_string(), "SPARK_THRIFT".to_string()]).unwrap();
        let keys: Vec<&str> = chosen.iter().map(|component| component.key.as_str()).collect();
        assert_eq!(keys, ["ZOOKEEPER", "SPARK", "POSTGRESQL", "POSTGRESQL_JDBC", "SPARK_THRIFT"]);
        assert_eq!(
            names(&start_waves(release, &chosen).unwrap()),
            [
                vec!["zookeeper-server", "metastore-db"],
                vec!["spark-master"],
                vec!["spark-worker", "spark-history-server", "spark-thrift-server"]
            ]
        );
        let without_db: Vec<&Component> =
            chosen.iter().copied().filter(|component| component.key != POSTGRESQL).collect();
        assert_eq!(
            names(&start_waves_provided(release, &without_db, &[METASTORE_DB_SERVICE]).unwrap()),
            [
                vec!["zookeeper-server"],
                vec!["spark-master"],
                vec!["spark-worker", "spark-history-server", "spark-thrift-server"]
            ]
        );
        // Named on their own, they are still refused.
        let error = components(release, &["SPARK_THRIFT".to_string(), "POSTGRESQL".to_string()]).unwrap_err();
        assert!(error.message.contains("comes along with SPARK_THRIFT"), "{}", error.message);
    }

    #[test]
    fn refusals() {
        let Err(error) = release("STRATA-1.0.2") else { panic!("STRATA-1.0.2 is not in the catalog") };
        assert_eq!(error.attribute.as_deref(), Some("release"));
        assert!(error.message.contains("STRATA-1.0.1"), "{}", error.message);
        assert!(release("STRATA-1.0.1").is_ok(), "the fix release installs here");
        assert!(release("EMR-3.2.0").unwrap_err().message.contains("cannot be installed on this machine"));
        let strata = release("STRATA-1.0.0").unwrap();
        let error = components(strata, &["POSTGRESQL".to_string()]).unwrap_err();
        assert!(error.message.contains("is an emr_metastore"), "{}", error.message);
        let error = components(strata, &["HIVE".to_string()]).unwrap_err();
        assert!(error.message.contains("\"HIVE\" is not a component of STRATA-1.0.0"), "{}", error.message);
    }
}
