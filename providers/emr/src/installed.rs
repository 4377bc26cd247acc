//! Which version of each component a node has installed (`installed_versions`, pure).
//!
//! A node's component is a link into the machine's component cache or `/usr`
//! (`/opt/strata/spark` → `/var/cache/strata/components/pyspark-4.3.0/pyspark`, see
//! [`crate::render`]): what it points at is what the node runs. Refresh reads every link's
//! target in the same round trip as the services' status (`strata_deploy`'s `LinkFact`), and
//! [`version_of`] names the version that target is: the version whose home it is in an
//! installable release of the catalog, else the version a cache entry's name carries
//! (`<package>-<version>`), else `unknown (TARGET)`; `missing` or `not a link` when there is no
//! link. Anything but the planned version is drift; apply points the link back and restarts
//! the component's services on that node ([`crate::upgrade::services_of_relinked`]).

use std::collections::BTreeMap;

use strata_deploy::facts::LinkState;
use strata_release::{ArtifactKind, Catalog, Component};

use crate::render::component_directory;
use crate::topology::Topology;

/// The key of a node's component in `installed_versions`: `HOST/COMPONENT`.
pub fn key(hostname: &str, component: &str) -> String {
    format!("{hostname}/{component}")
}

/// `installed_versions` as planned: every node's components at the release's versions.
pub fn expected(topology: &Topology) -> BTreeMap<String, String> {
    let mut versions = BTreeMap::new();
    for node in &topology.nodes {
        for component in topology.components_on(node) {
            versions.insert(key(&node.hostname, &component.key), component.version.clone());
        }
    }
    versions
}

/// The version a node's link of `component` shows, the component cache being `cache`.
pub fn version_of(component: &Component, cache: &str, state: &LinkState) -> String {
    let target = match state {
        LinkState::Missing => return "missing".to_string(),
        LinkState::NotALink => return "not a link".to_string(),
        LinkState::Link { target } => target.trim_end_matches('/'),
    };
    let installable = Catalog::builtin().list().iter().filter(|release| release.installable);
    for release in installable {
        let Some(same) = release.component(&component.key) else { continue };
        if component_directory(cache, same, "home").as_deref().map(|home| home.trim_end_matches('/')) == Some(target) {
            return same.version.clone();
        }
    }
    // A cache entry of another version: `<cache>/<package>-<version>/...`.
    let entry = target.strip_prefix(cache.trim_end_matches('/')).and_then(|rest| rest.strip_prefix('/'));
    let packages = component.artifacts.iter().filter(|artifact| artifact.kind == ArtifactKind::Pypi);
    for package in packages.filter_map(|artifact| artifact.package.as_deref()) {
        let version = entry
            .and_then(|entry| entry.split('/').next())
            .and_then(|directory| directory.strip_prefix(package))
            .and_then(|rest| rest.strip_prefix('-'))
            .filter(|version| !version.is_empty());
        if let Some(version) = version {
            return version.to_string();
        }
    }
    format!("unknown ({target})")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use strata_deploy::facts::{Fact, LinkFact};
    use strata_release::Catalog;

    use super::*;

    const CACHE: &str = "/var/cache/strata/components";

    /// (component, what `LinkFact`'s command printed on the node, the version it means).
    const CASES: &[(&str, &str, &str)] = &[
        ("SPARK", "link\n/var/cache/strata/components/pyspark-4.3.0/pyspark\n", "4.3.0"),
        ("SPARK", "link\n/var/cache/strata/components/pyspark-4.2.0/pyspark\n", "4.2.0"),
        ("SPARK", "link\n/opt/spark-3.5.1\n", "unknown (/opt/spark-3.5.1)"),
        ("SPARK", "missing\n", "missing"),
        ("SPARK", "not_a_link\n", "not a link"),
        ("ZOOKEEPER", "link\n/usr/share/zookeeper\n", "3.8.0"),
        ("ZOOKEEPER", "link\n/usr/share/zookeeper/\n", "3.8.0"),
        ("ZOOKEEPER", "link\n/opt/zookeeper-3.9.2\n", "unknown (/opt/zookeeper-3.9.2)"),
    ];

    #[test]
    fn a_link_target_names_its_version() {
        let release = Catalog::builtin().get("STRATA-1.0.1").unwrap();
        for (component, output, expected) in CASES {
            let component = release.component(component).unwrap();
            let fact = LinkFact::new(format!("/opt/strata/{}", component.key.to_lowercase()));
            let state = fact.parse(output).unwrap_or_else(|error| panic!("{output:?}: {error}"));
            assert_eq!(version_of(component, CACHE, &state), *expected, "{output:?}");
        }
    }

    #[test]
    fn every_node_has_its_components_at_the_release_version() {
        let topology = crate::topology::spark_cluster("STRATA-1.0.1", 1);
        let expected: BTreeMap<String, String> =
            [("a-core-0/SPARK", "4.3.0"), ("a-master-0/SPARK", "4.3.0"), ("a-master-0/ZOOKEEPER", "3.8.0")]
                .into_iter()
                .map(|(key, version)| (key.to_string(), version.to_string()))
                .collect();
        assert_eq!(expected, super::expected(&topology));
    }
}
