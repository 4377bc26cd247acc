//! [`Topology`] (pure): a cluster's configuration checked against its release (from the
//! release catalog) and the local instance catalog, as the nodes it has, the components each
//! gets and the services each runs. Planning, apply and refresh all start here, so they agree
//! on host names, roles and start order.

use std::collections::BTreeMap;

use strata_provider_local::{INSTANCE_TYPES, InstanceType, instance_type};
use strata_provider_sdk::ProviderError;
use strata_release::{Component, Release, Role, Service};

use crate::metastore_client;
use crate::model::{ConfigFile, NodeGroup, RUNNING};
use crate::release::{self, ZOOKEEPER_SERVICE};

/// The components an `emr_metastore` runs: the database and the JDBC driver its schema tool
/// connects with.
pub const METASTORE_COMPONENTS: [&str; 2] = ["POSTGRESQL", "POSTGRESQL_JDBC"];
/// The node group of a metastore's one node.
pub const METASTORE_GROUP: &str = "db";

/// Most nodes one node group may have on this machine.
const MAX_NODES_PER_GROUP: i64 = 32;
/// Hostnames are one DNS label.
const MAX_HOSTNAME: usize = 63;

/// One node of the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// `<cluster>-<node group>-<index>`.
    pub hostname: String,
    pub node_group: String,
    pub role: Role,
    pub index: usize,
    pub instance_type: &'static InstanceType,
}

/// The nodes of a cluster, the components they get and the services they run.
#[derive(Clone, Debug)]
pub struct Topology {
    pub name: String,
    pub release: &'static Release,
    /// The chosen components (`services = [...]` and what they require), in release order.
    pub components: Vec<&'static Component>,
    /// Their services in start order: waves, each depending only on earlier ones.
    pub waves: Vec<Vec<&'static Service>>,
    /// Masters first, then by role and node group name, then index.
    pub nodes: Vec<Node>,
}

impl Topology {
    /// Checks the configuration; errors name the attribute (`node_group.core.count`). For a
    /// deployment that makes no metastore database (`alicloud_emr_cluster`): SPARK_THRIFT, whose
    /// metastore needs one, is refused; an `emr_cluster` is [`Topology::cluster`].
    pub fn new(
        name: &str,
        release_name: &str,
        services: &[String],
        node_groups: &BTreeMap<String, NodeGroup>,
        config: &BTreeMap<String, ConfigFile>,
    ) -> Result<Topology, ProviderError> {
        let topology = Self::checked(name, release_name, services, node_groups, config)?;
        if topology.has_component(release::SPARK_THRIFT) {
            return Err(ProviderError::at(
                "services",
                "SPARK_THRIFT (the Spark SQL Thrift server) runs on emr_cluster only: its metastore database is not \
                 made here yet; remove it from services",
            ));
        }
        Ok(topology)
    }

    /// An `emr_cluster`'s topology: [`Topology::new`]'s checks with SPARK_THRIFT allowed, its
    /// metastore database on the master unless the cluster has an `emr_metastore` (`external`,
    /// see [`Topology::with_metastore`]).
    pub fn cluster(
        name: &str,
        release_name: &str,
        services: &[String],
        node_groups: &BTreeMap<String, NodeGroup>,
        config: &BTreeMap<String, ConfigFile>,
        external: bool,
    ) -> Result<Topology, ProviderError> {
        Self::checked(name, release_name, services, node_groups, config)?.with_metastore(external)
    }

    fn checked(
        name: &str,
        release_name: &str,
        services: &[String],
        node_groups: &BTreeMap<String, NodeGroup>,
        config: &BTreeMap<String, ConfigFile>,
    ) -> Result<Topology, ProviderError> {
        check_label(name).map_err(|reason| ProviderError::at("name", format!("cluster name {name:?} {reason}")))?;
        let release = release::release(release_name)?;
        let components = release::components(release, services)?;
        let waves = release::start_waves(release, &components)?;
        for file in config.keys() {
            if file == metastore_client::HIVE_SITE && components.iter().any(|component| component.key == "SPARK") {
                // Spark's own, written on every node with Spark (see `metastore_client`).
                continue;
            }
            let owner = release.config_files().find(|(_, config_file)| config_file.name == *file).map(|(c, _)| c);
            match owner {
                Some(component) if components.iter().any(|chosen| chosen.key == component.key) => {}
                Some(component) => {
                    return Err(ProviderError::at(
                        format!("config.{file}"),
                        format!("{file} belongs to {}, which this cluster does not install", component.key),
                    ));
                }
                None => {
                    let files: Vec<&str> = components
                        .iter()
                        .flat_map(|component| component.config_files.iter().map(|file| file.name.as_str()))
                        .collect();
                    return Err(ProviderError::at(
                        format!("config.{file}"),
                        format!(
                            "{} has no configuration file {file:?}; its files are {}",
                            release.name,
                            files.join(", ")
                        ),
                    ));
                }
            }
        }

        let mut groups: Vec<(&String, &NodeGroup, Role)> = Vec::new();
        for (group_name, group) in node_groups {
            let at = |attribute: &str| format!("node_group.{group_name}.{attribute}");
            check_label(group_name)
                .map_err(|reason| ProviderError::at(at("role"), format!("node group name {group_name:?} {reason}")))?;
            let role = group.role.parse::<Role>().map_err(|()| {
                ProviderError::at(
                    at("role"),
                    format!("unknown role {:?}; use {}", group.role, release::ROLES.join(", ")),
                )
            })?;
            groups.push((group_name, group, role));
        }
        groups.sort_by_key(|(group_name, _, role)| (*role, group_name.as_str()));
        let mut nodes = Vec::new();
        for (group_name, group, role) in &groups {
            let at = |attribute: &str| format!("node_group.{group_name}.{attribute}");
            let size = instance_type(&group.instance_type).ok_or_else(|| {
                let known: Vec<&str> = INSTANCE_TYPES.iter().map(|entry| entry.name).collect();
                ProviderError::at(
                    at("instance_type"),
                    format!(
                        "unknown instance type {:?}; the local catalog has {}",
                        group.instance_type,
                        known.join(", ")
                    ),
                )
            })?;
            if !(0..=MAX_NODES_PER_GROUP).contains(&group.count) {
                return Err(ProviderError::at(
                    at("count"),
                    format!("{} nodes: a node group has 0 to {MAX_NODES_PER_GROUP} nodes", group.count),
                ));
            }
            for index in 0..group.count as usize {
                let hostname = format!("{name}-{group_name}-{index}");
                if hostname.len() > MAX_HOSTNAME {
                    return Err(ProviderError::at(
                        "name",
                        format!(
                            "the hostname {hostname} is longer than {MAX_HOSTNAME} characters: shorten the cluster or node group name"
                        ),
                    ));
                }
                nodes.push(Node {
                    hostname,
                    node_group: (*group_name).clone(),
                    role: *role,
                    index,
                    instance_type: size,
                });
            }
        }

        let master_groups: Vec<&String> =
            groups.iter().filter(|(_, _, role)| *role == Role::Master).map(|(name, _, _)| *name).collect();
        let master_group = match master_groups.as_slice() {
            [] => return Err(ProviderError::at("node_group", "a cluster needs a node group with role = \"MASTER\"")),
            [only] => *only,
            [_, second, ..] => {
                return Err(ProviderError::at(
                    format!("node_group.{second}.role"),
                    "a cluster has one MASTER node group (give it count = 3 for three masters)",
                ));
            }
        };
        let masters = nodes.iter().filter(|node| node.role == Role::Master).count();
        if masters == 0 {
            return Err(ProviderError::at(
                format!("node_group.{master_group}.count"),
                "the MASTER node group needs at least one node",
            ));
        }
        let topology = Topology { name: name.to_string(), release, components, waves, nodes };
        let servers = topology.release.service(ZOOKEEPER_SERVICE).map(|service| topology.nodes_running(service).len());
        if let Some(servers) = servers.filter(|servers| *servers > 0 && servers % 2 == 0) {
            return Err(ProviderError::at(
                format!("node_group.{master_group}.count"),
                format!(
                    "{masters} masters would run {servers} ZooKeeper servers, which tolerate no more failures than {}: use an odd count (1, 3 or 5)",
                    servers - 1
                ),
            ));
        }
        Ok(topology)
    }

    /// An `emr_metastore`'s: one MASTER node `<name>-db-0` of `instance_type` with the release's
    /// PostgreSQL and its JDBC driver ([`METASTORE_COMPONENTS`]). Errors name the attribute.
    pub fn metastore(name: &str, release_name: &str, instance_type_name: &str) -> Result<Topology, ProviderError> {
        check_label(name).map_err(|reason| ProviderError::at("name", format!("metastore name {name:?} {reason}")))?;
        let release = release::release(release_name)?;
        let mut components = Vec::new();
        for key in METASTORE_COMPONENTS {
            components.push(release.component(key).ok_or_else(|| {
                ProviderError::at("release", format!("{} has no {key}, which a metastore runs", release.name))
            })?);
        }
        let waves = release::start_waves(release, &components)?;
        let size = instance_type(instance_type_name).ok_or_else(|| {
            let known: Vec<&str> = INSTANCE_TYPES.iter().map(|entry| entry.name).collect();
            ProviderError::at(
                "instance_type",
                format!("unknown instance type {instance_type_name:?}; the local catalog has {}", known.join(", ")),
            )
        })?;
        let node = Node {
            hostname: format!("{name}-{METASTORE_GROUP}-0"),
            node_group: METASTORE_GROUP.to_string(),
            role: Role::Master,
            index: 0,
            instance_type: size,
        };
        Ok(Topology { name: name.to_string(), release, components, waves, nodes: vec![node] })
    }

    /// The topology for a cluster whose Spark SQL uses an `emr_metastore` (`external`) or not.
    /// With SPARK_THRIFT, the catalog's metastore database (`metastore-db`, POSTGRESQL) runs
    /// on the master as the cluster's own metastore; with an `emr_metastore` that database is
    /// the metastore's, so the master runs none (the Thrift server's dependency on it is met
    /// outside the cluster). A cluster's own database is one server: with several masters the
    /// Thrift server needs an `emr_metastore` (errors name `metastore`).
    fn with_metastore(mut self, external: bool) -> Result<Topology, ProviderError> {
        if !self.has_component(release::POSTGRESQL) {
            return Ok(self);
        }
        if external {
            self.components.retain(|component| component.key != release::POSTGRESQL);
            self.waves =
                release::start_waves_provided(self.release, &self.components, &[release::METASTORE_DB_SERVICE])?;
            return Ok(self);
        }
        let masters = self.nodes.iter().filter(|node| node.role == Role::Master).count();
        if masters > 1 {
            return Err(ProviderError::at(
                "metastore",
                format!(
                    "SPARK_THRIFT on {masters} masters needs a metastore they share: the cluster's own metastore \
                     database runs on one master\nhint: set metastore = emr_metastore.NAME.id, or use one master"
                ),
            ));
        }
        Ok(self)
    }

    /// The node called `hostname`.
    pub fn node(&self, hostname: &str) -> Option<&Node> {
        self.nodes.iter().find(|node| node.hostname == hostname)
    }

    /// The first master.
    pub fn master(&self) -> &Node {
        self.nodes.iter().find(|node| node.role == Role::Master).expect("checked: a cluster has a master")
    }

    /// Whether the cluster installs component `key`.
    pub fn has_component(&self, key: &str) -> bool {
        self.components.iter().any(|component| component.key == key)
    }

    /// The chosen components installed on `node` (by their roles), in release order.
    pub fn components_on(&self, node: &Node) -> Vec<&'static Component> {
        self.components.iter().copied().filter(|component| component.roles.contains(&node.role)).collect()
    }

    /// The services `node` runs, in start order.
    pub fn services_on(&self, node: &Node) -> Vec<&'static Service> {
        self.waves.iter().flatten().copied().filter(|service| self.runs(node, service)).collect()
    }

    /// Whether `node` runs `service` (a chosen one, on one of its roles).
    pub fn runs(&self, node: &Node, service: &Service) -> bool {
        self.waves.iter().flatten().any(|chosen| chosen.name == service.name) && service.runs_on(node.role)
    }

    /// The nodes running `service`, in topology order.
    pub fn nodes_running(&self, service: &Service) -> Vec<&Node> {
        self.nodes.iter().filter(|node| self.runs(node, service)).collect()
    }

    /// `components`: "KEY VERSION" of the components each node gets, by hostname.
    pub fn components_by_host(&self) -> BTreeMap<String, Vec<String>> {
        self.nodes
            .iter()
            .map(|node| {
                let components = self
                    .components_on(node)
                    .iter()
                    .map(|component| format!("{} {}", component.key, component.version))
                    .collect();
                (node.hostname.clone(), components)
            })
            .collect()
    }

    /// `start_order`: the services' names, wave by wave.
    pub fn start_order(&self) -> Vec<Vec<String>> {
        self.waves.iter().map(|wave| wave.iter().map(|service| service.name.clone()).collect()).collect()
    }

    /// `services_status` when every service runs.
    pub fn expected_status(&self) -> BTreeMap<String, String> {
        self.nodes
            .iter()
            .flat_map(|node| {
                self.services_on(node).into_iter().map(move |service| status_key(&node.hostname, &service.name))
            })
            .map(|key| (key, RUNNING.to_string()))
            .collect()
    }

    /// `services_status` as observed: per node and service, `running` or `stopped` from the
    /// node's service units (named with its host id in `host_ids`), or why the node could not
    /// be read: a problem found before connecting (`problems`: host gone, stopped, ...), the
    /// error of its round trip, or `host missing` when it was not read at all.
    pub fn observed_status<E: std::fmt::Display>(
        &self,
        host_ids: &BTreeMap<&str, &str>,
        problems: &BTreeMap<String, String>,
        running: &BTreeMap<String, Result<BTreeMap<String, bool>, E>>,
    ) -> BTreeMap<String, String> {
        let mut status = BTreeMap::new();
        for node in &self.nodes {
            for service in self.services_on(node) {
                let unit = crate::render::unit_name(
                    &service.name,
                    host_ids.get(node.hostname.as_str()).copied().unwrap_or_default(),
                );
                let value = match (problems.get(&node.hostname), running.get(&node.hostname)) {
                    (Some(problem), _) => problem.clone(),
                    (None, Some(Ok(services))) => match services.get(&unit) {
                        Some(true) => RUNNING.to_string(),
                        _ => "stopped".to_string(),
                    },
                    (None, Some(Err(error))) => format!("host unreachable: {error}"),
                    (None, None) => "host missing".to_string(),
                };
                status.insert(status_key(&node.hostname, &service.name), value);
            }
        }
        status
    }
}

/// The key of a service in `services_status`.
pub fn status_key(hostname: &str, service: &str) -> String {
    format!("{hostname}/{service}")
}

/// A name that is part of hostnames: lowercase letters, digits and `-`, starting with a letter.
fn check_label(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 40 {
        return Err("must be 1 to 40 characters long (it is part of every hostname)");
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) || name.ends_with('-') {
        return Err("must start with a lowercase letter and not end with '-' (it is part of every hostname)");
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err("may hold only lowercase letters, digits and '-' (it is part of every hostname)");
    }
    Ok(())
}

/// A cluster `name` of `release` running `services` on one master and `cores` core nodes
/// (`external`: with an `emr_metastore`), for the tests of the modules that plan from a
/// topology.
#[cfg(test)]
pub(crate) fn sample_cluster(name: &str, release: &str, services: &[&str], cores: i64, external: bool) -> Topology {
    let group = |role: &str, count: i64| NodeGroup {
        role: role.into(),
        instance_type: "local.c1m2".into(),
        count,
        disk_size: None,
        private_ips: None,
    };
    let groups =
        BTreeMap::from([("master".to_string(), group("MASTER", 1)), ("core".to_string(), group("CORE", cores))]);
    let services: Vec<String> = services.iter().map(|service| service.to_string()).collect();
    Topology::cluster(name, release, &services, &groups, &BTreeMap::new(), external).unwrap()
}

/// [`sample_cluster`] `a` running SPARK.
#[cfg(test)]
pub(crate) fn spark_cluster(release: &str, cores: i64) -> Topology {
    sample_cluster("a", release, &["SPARK"], cores, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(role: &str, count: i64) -> NodeGroup {
        NodeGroup { role: role.into(), instance_type: "local.c1m2".into(), count, disk_size: None, private_ips: None }
    }

    fn topology(groups: &[(&str, NodeGroup)], config: &[&str]) -> Result<Topology, ProviderError> {
        let groups = groups.iter().map(|(name, group)| (name.to_string(), group.clone())).collect();
        let config = config.iter().map(|file| (file.to_string(), ConfigFile { values: BTreeMap::new() })).collect();
        Topology::new("analytics", "STRATA-1.0.0", &["ZOOKEEPER".into(), "SPARK".into()], &groups, &config)
    }

    #[test]
    fn nodes_services_and_status() {
        let topology =
            topology(&[("core", group("CORE", 2)), ("master", group("MASTER", 1))], &["spark-defaults.conf"]).unwrap();
        let names: Vec<&str> = topology.nodes.iter().map(|node| node.hostname.as_str()).collect();
        assert_eq!(names, ["analytics-master-0", "analytics-core-0", "analytics-core-1"]);
        let services: Vec<&str> = topology.services_on(&topology.nodes[0]).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(services, ["zookeeper-server", "spark-master", "spark-history-server"]);
        assert_eq!(topology.expected_status().len(), 5);
        assert!(topology.expected_status().contains_key("analytics-core-1/spark-worker"));
    }

    #[test]
    fn refusals_name_the_attribute() {
        // Node groups, config files, the attribute the error names, a part of its message.
        type Case<'a> = (Vec<(&'a str, NodeGroup)>, Vec<&'a str>, &'a str, &'a str);
        let cases: Vec<Case> = vec![
            (vec![("core", group("CORE", 1))], vec![], "node_group", "needs a node group with role = \"MASTER\""),
            (vec![("master", group("MASTER", 2))], vec![], "node_group.master.count", "use an odd count"),
            (
                vec![("master", group("MASTER", 1)), ("core", group("CORE", -1))],
                vec![],
                "node_group.core.count",
                "0 to 32",
            ),
            (
                vec![("master", group("MASTER", 1))],
                vec!["hdfs-site.xml"],
                "config.hdfs-site.xml",
                "no configuration file",
            ),
            (vec![("Master", group("MASTER", 1))], vec![], "node_group.Master.role", "lowercase"),
        ];
        for (groups, config, attribute, text) in cases {
            let error = topology(&groups, &config).unwrap_err();
            assert_eq!(error.attribute.as_deref(), Some(attribute), "{}", error.message);
            assert!(error.message.contains(text), "{}", error.message);
        }
        let groups = [("master".to_string(), group("MASTER", 1))].into();
        let error = Topology::new("a", "STRATA-1.0.2", &["HIVE".into()], &groups, &BTreeMap::new()).unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some("release"));
        let error = Topology::new("a", "STRATA-1.0.0", &["HIVE".into()], &groups, &BTreeMap::new()).unwrap_err();
        assert!(error.message.contains("\"HIVE\" is not a component of STRATA-1.0.0"), "{}", error.message);
        assert!(topology(&[("master", group("MASTER", 1))], &["hive-site.xml"]).is_ok(), "Spark's hive-site.xml");
    }

    #[test]
    fn spark_thrift_runs_a_metastore_database_unless_the_cluster_has_an_emr_metastore() {
        let services: Vec<String> = vec!["SPARK".into(), "SPARK_THRIFT".into()];
        let groups = |masters: i64| -> BTreeMap<String, NodeGroup> {
            [("master".to_string(), group("MASTER", masters)), ("core".to_string(), group("CORE", 1))].into()
        };
        let make = |masters: i64, external: bool| {
            Topology::cluster("sql", "STRATA-1.0.0", &services, &groups(masters), &BTreeMap::new(), external)
        };
        let own = make(1, false).unwrap();
        let on_master: Vec<&str> = own.services_on(own.master()).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            on_master,
            ["zookeeper-server", "metastore-db", "spark-master", "spark-history-server", "spark-thrift-server"]
        );
        assert_eq!(own.components_by_host()["sql-core-0"], ["SPARK 4.3.0"]);
        let shared = make(1, true).unwrap();
        let on_master: Vec<&str> = shared.services_on(shared.master()).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(on_master, ["zookeeper-server", "spark-master", "spark-history-server", "spark-thrift-server"]);
        assert!(!shared.has_component("POSTGRESQL") && shared.has_component("POSTGRESQL_JDBC"));
        let error = make(3, false).unwrap_err();
        assert_eq!(error.attribute.as_deref(), Some("metastore"));
        assert!(error.message.contains("hint: set metastore"), "{}", error.message);
        assert!(make(3, true).is_ok());
        let plain = topology(&[("master", group("MASTER", 3))], &[]).unwrap();
        assert!(plain.with_metastore(false).is_ok(), "without SPARK_THRIFT nothing changes");
        let error = Topology::new("sql", "STRATA-1.0.0", &services, &groups(1), &BTreeMap::new()).unwrap_err();
        assert!(error.message.contains("runs on emr_cluster only"), "{}", error.message);
    }

    #[test]
    fn a_metastore_is_one_database_node() {
        let topology = Topology::metastore("shared", "STRATA-1.0.0", "local.c1m2").unwrap();
        assert_eq!(topology.nodes.len(), 1);
        assert_eq!(topology.master().hostname, "shared-db-0");
        let services: Vec<&str> = topology.services_on(topology.master()).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(services, ["metastore-db"]);
        assert!(topology.expected_status().contains_key("shared-db-0/metastore-db"));
        for (name, release, size, attribute) in [
            ("Shared", "STRATA-1.0.0", "local.c1m2", "name"),
            ("shared", "EMR-3.2.0", "local.c1m2", "release"),
            ("shared", "STRATA-1.0.0", "local.huge", "instance_type"),
        ] {
            let error = Topology::metastore(name, release, size).unwrap_err();
            assert_eq!(error.attribute.as_deref(), Some(attribute), "{}", error.message);
        }
    }
}
