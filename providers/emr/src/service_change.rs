//! Adding or removing services of a running cluster (pure): what changing `services` (or the
//! metastore a Spark SQL Thrift server uses) does to the nodes that stay, given the topology
//! before and after. Services that start are not listed: the converge starts every service the
//! new topology has, wave by wave, and those already running are left alone (or restarted when
//! a file they read changes, like after a `config` change). What it must do besides is
//! [`ServiceChange`]: stop the services no longer chosen (reverse start order, launchers
//! removed) and remove the files of the components a node no longer gets (the component's
//! link, its configuration, data and runtime directories; Spark's command wrappers too).
//! Removing SPARK_THRIFT removes the cluster's own metastore database with its data: the
//! tables' metadata goes, their files stay in the warehouse.

use std::collections::BTreeMap;

use crate::render::{BIN_DIR, DATA_DIR, Layout, RUN_DIR, SPARK_COMMANDS};
use crate::topology::Topology;

/// What changing the chosen services does on each node that stays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceChange {
    /// Hostname → services to stop there, in stop order.
    pub stop: BTreeMap<String, Vec<String>>,
    /// Hostname → paths to remove there.
    pub remove: BTreeMap<String, Vec<String>>,
    /// `HOST/SERVICE` of the services that start for the first time.
    pub start: Vec<String>,
}

impl ServiceChange {
    pub fn is_empty(&self) -> bool {
        self.stop.is_empty() && self.remove.is_empty() && self.start.is_empty()
    }
}

/// The change from `before` to `after` on the nodes both have (a node only one of them has is
/// made or removed whole by the converge).
pub fn plan(before: &Topology, after: &Topology) -> ServiceChange {
    let mut change = ServiceChange::default();
    for node in &after.nodes {
        let Some(old) = before.node(&node.hostname) else { continue };
        let running: Vec<&str> = after.services_on(node).iter().map(|service| service.name.as_str()).collect();
        let stop: Vec<String> = before
            .services_on(old)
            .iter()
            .rev()
            .filter(|service| !running.contains(&service.name.as_str()))
            .map(|service| service.name.clone())
            .collect();
        if !stop.is_empty() {
            change.stop.insert(node.hostname.clone(), stop);
        }
        let had: Vec<&str> = before.services_on(old).iter().map(|service| service.name.as_str()).collect();
        for service in after.services_on(node) {
            if !had.contains(&service.name.as_str()) {
                change.start.push(crate::topology::status_key(&node.hostname, &service.name));
            }
        }
        let kept: Vec<&str> = after.components_on(node).iter().map(|component| component.key.as_str()).collect();
        let mut paths = Vec::new();
        for component in before.components_on(old).iter().filter(|component| !kept.contains(&component.key.as_str())) {
            let lower = component.key.to_lowercase();
            paths.push(Layout::component_link(&component.key));
            paths.push(Layout::conf_dir(&component.key));
            paths.push(format!("{DATA_DIR}/{lower}"));
            paths.push(format!("{RUN_DIR}/{lower}"));
            if component.key == "SPARK" {
                paths.extend(SPARK_COMMANDS.iter().map(|command| format!("{BIN_DIR}/{command}")));
            }
        }
        if !paths.is_empty() {
            change.remove.insert(node.hostname.clone(), paths);
        }
    }
    change
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topology(services: &[&str], external: bool) -> Topology {
        crate::topology::sample_cluster("sql", "STRATA-1.0.0", services, 1, external)
    }

    /// The change as text: one line per node and kind, for the table below.
    fn text(change: &ServiceChange) -> Vec<String> {
        let mut lines = Vec::new();
        for (host, services) in &change.stop {
            lines.push(format!("stop {host}: {}", services.join(" ")));
        }
        for (host, paths) in &change.remove {
            lines.push(format!("remove {host}: {}", paths.join(" ")));
        }
        for key in &change.start {
            lines.push(format!("start {key}"));
        }
        lines
    }

    #[test]
    fn adding_and_removing_services() {
        let spark = topology(&["SPARK"], false);
        let thrift = topology(&["SPARK", "SPARK_THRIFT"], false);
        let thrift_shared = topology(&["SPARK", "SPARK_THRIFT"], true);
        let zookeeper = topology(&["ZOOKEEPER"], false);
        let cases: [(&str, &Topology, &Topology, &[&str]); 5] = [
            ("nothing changes", &spark, &spark, &[]),
            (
                "SPARK_THRIFT added: its database and server start",
                &spark,
                &thrift,
                &["start sql-master-0/metastore-db", "start sql-master-0/spark-thrift-server"],
            ),
            (
                "SPARK_THRIFT removed: server, then database stopped, their files removed",
                &thrift,
                &spark,
                &[
                    "stop sql-master-0: spark-thrift-server metastore-db",
                    "remove sql-master-0: /opt/strata/postgresql /opt/strata/conf/postgresql /var/lib/strata/postgresql \
                     /run/strata/postgresql /opt/strata/postgresql_jdbc /opt/strata/conf/postgresql_jdbc \
                     /var/lib/strata/postgresql_jdbc /run/strata/postgresql_jdbc /opt/strata/spark_thrift \
                     /opt/strata/conf/spark_thrift /var/lib/strata/spark_thrift /run/strata/spark_thrift",
                ],
            ),
            (
                "an emr_metastore instead of the cluster's own database",
                &thrift,
                &thrift_shared,
                &[
                    "stop sql-master-0: metastore-db",
                    "remove sql-master-0: /opt/strata/postgresql /opt/strata/conf/postgresql \
                     /var/lib/strata/postgresql /run/strata/postgresql",
                ],
            ),
            (
                "SPARK removed: its services stopped, wrappers gone too",
                &spark,
                &zookeeper,
                &[
                    "stop sql-core-0: spark-worker",
                    "stop sql-master-0: spark-history-server spark-master",
                    "remove sql-core-0: /opt/strata/spark /opt/strata/conf/spark /var/lib/strata/spark \
                     /run/strata/spark /opt/strata/bin/spark-submit /opt/strata/bin/pyspark \
                     /opt/strata/bin/spark-sql /opt/strata/bin/beeline",
                    "remove sql-master-0: /opt/strata/spark /opt/strata/conf/spark /var/lib/strata/spark \
                     /run/strata/spark /opt/strata/bin/spark-submit /opt/strata/bin/pyspark \
                     /opt/strata/bin/spark-sql /opt/strata/bin/beeline",
                ],
            ),
        ];
        for (name, before, after, expected) in cases {
            let change = plan(before, after);
            let expected: Vec<String> =
                expected.iter().map(|line| line.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
            assert_eq!(text(&change), expected, "{name}");
            assert_eq!(change.is_empty(), expected.is_empty(), "{name}");
        }
    }
}
