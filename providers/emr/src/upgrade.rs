//! What changing a cluster's `release` does ([`release_change`], pure).
//!
//! A cluster keeps its release: a new one replaces it, except a patch-level change within the
//! same line and `a.b` (`STRATA-1.0.0` → `STRATA-1.0.1`, or back), which the seed's semantics
//! make fixes only and fully compatible. That one is an in-place rolling upgrade, made by the
//! converge every update runs: the configuration files are rendered from the new release's
//! defaults, component links follow the new versions, and only the services reading a file
//! that changes (or of a component whose version changes) restart, one host at a time, each
//! healthy before the next. Both releases must install on this machine: a release the
//! provider cannot install is not one it can upgrade from or to in place.

use std::collections::{BTreeMap, BTreeSet};

use strata_release::{Catalog, ReleaseName, VersionChange};

use crate::model::RUNNING;
use crate::render::Layout;
use crate::topology::{Topology, status_key};

/// How a cluster moves from one release to another, with the reason the plan shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReleaseChange {
    /// The same release: nothing to do.
    Same,
    /// An in-place rolling upgrade (or patch-level downgrade); the text says why.
    InPlace(String),
    /// A replacement; the text says why.
    Replace(String),
}

impl ReleaseChange {
    /// The text the plan shows in `release_change` (`None` for the same release).
    pub fn reason(&self) -> Option<&str> {
        match self {
            ReleaseChange::Same => None,
            ReleaseChange::InPlace(reason) | ReleaseChange::Replace(reason) => Some(reason),
        }
    }
}

/// What moving a cluster from release `from` to release `to` is (names as configured; an
/// unknown or malformed one is a replacement, and planning the new one reports it).
pub fn release_change(from: &str, to: &str) -> ReleaseChange {
    if from == to {
        return ReleaseChange::Same;
    }
    let replace = |why: String| ReleaseChange::Replace(format!("{from} -> {to}: {why}: the cluster is replaced"));
    let (Ok(old), Ok(new)) = (ReleaseName::parse(from), ReleaseName::parse(to)) else {
        return replace("not two release names of the catalog".to_string());
    };
    let Some(change) = ReleaseName::change(&old, &new) else {
        return replace(format!("releases of different lines ({} and {}) are unrelated bundles", old.line, new.line));
    };
    let same_minor = old.version.major == new.version.major && old.version.minor == new.version.minor;
    match change {
        VersionChange::Same => return ReleaseChange::Same,
        VersionChange::Major => return replace("a major change (a.b.c -> A.b.c: a big change)".to_string()),
        VersionChange::Minor => {
            return replace("a minor change (a.b.c -> a.B.c: some component versions change)".to_string());
        }
        VersionChange::Downgrade if !same_minor => {
            return replace("a downgrade across minor versions (component versions change)".to_string());
        }
        VersionChange::Patch | VersionChange::Downgrade => {}
    }
    let catalog = Catalog::builtin();
    for name in [from, to] {
        match catalog.get(name) {
            Ok(release) if release.installable => {}
            Ok(_) => return replace(format!("a patch-level change, but {name} is not installable on this machine")),
            Err(_) => return replace(format!("a patch-level change, but {name} is not in the release catalog")),
        }
    }
    let direction = if change == VersionChange::Patch { "upgrade" } else { "downgrade" };
    ReleaseChange::InPlace(format!(
        "{from} -> {to}: a patch-level {direction} (same {}.{}: fixes only, fully compatible): made in place, host by \
         host; files are rendered from {to}'s defaults and only the services reading a changed file (or of a \
         component whose version changes) restart, each healthy before the next (see restarts)",
        new.version.major, new.version.minor
    ))
}

/// The running services (`HOST/SERVICE`) whose component changes version on their host: from
/// `prior` (`"KEY VERSION"` by hostname, the state's `components`) to what `topology` gives
/// the node. Apply links the new version there and restarts them (rolling). A component a
/// node did not have before is not a restart: its services start.
pub fn component_restarts(
    topology: &Topology,
    prior: Option<&BTreeMap<String, Vec<String>>>,
    services_status: &BTreeMap<String, String>,
) -> Vec<String> {
    let Some(prior) = prior else { return Vec::new() };
    let mut restarts = Vec::new();
    for node in &topology.nodes {
        let Some(before) = prior.get(&node.hostname) else { continue };
        for component in topology.components_on(node) {
            let entry = format!("{} {}", component.key, component.version);
            let had_other = before.iter().any(|old| old != &entry && old.starts_with(&format!("{} ", component.key)));
            if !had_other {
                continue;
            }
            for service in topology.services_on(node) {
                let key = status_key(&node.hostname, &service.name);
                let owned = component.services.iter().any(|own| own.name == service.name);
                if owned && services_status.get(&key).map(String::as_str) == Some(RUNNING) {
                    restarts.push(key);
                }
            }
        }
    }
    restarts.sort();
    restarts
}

/// The running services (`HOST/SERVICE`) whose component refresh found installed at another
/// version than the release's (`installed`: the state's `installed_versions` as refresh read
/// them, a link re-pointed on a node): apply points the link back and restarts them.
pub fn drifted_restarts(
    topology: &Topology,
    installed: Option<&BTreeMap<String, String>>,
    services_status: &BTreeMap<String, String>,
) -> Vec<String> {
    let Some(installed) = installed else { return Vec::new() };
    let mut restarts = Vec::new();
    for node in &topology.nodes {
        for component in topology.components_on(node) {
            let found = installed.get(&crate::installed::key(&node.hostname, &component.key));
            if found.is_none_or(|version| *version == component.version) {
                continue;
            }
            for service in &component.services {
                let key = status_key(&node.hostname, &service.name);
                if topology.runs(node, service) && services_status.get(&key).map(String::as_str) == Some(RUNNING) {
                    restarts.push(key);
                }
            }
        }
    }
    restarts.sort();
    restarts
}

/// Per service, the nodes where apply (re)made the link of the service's component
/// (`relinked`: hostname → link paths, [`crate::deploy::Prepared::relinked`]): they restart
/// when they run, like the readers of a rewritten file.
pub fn services_of_relinked(
    topology: &Topology,
    relinked: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut services: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for node in &topology.nodes {
        let Some(paths) = relinked.get(&node.hostname) else { continue };
        for component in topology.components_on(node) {
            if !paths.contains(&Layout::component_link(&component.key)) {
                continue;
            }
            for service in topology.services_on(node) {
                if component.services.iter().any(|own| own.name == service.name) {
                    services.entry(service.name.clone()).or_default().insert(node.hostname.clone());
                }
            }
        }
    }
    services
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (from, to, in place?, words the reason must hold).
    const CASES: &[(&str, &str, Option<bool>, &str)] = &[
        ("STRATA-1.0.0", "STRATA-1.0.0", None, ""),
        ("STRATA-1.0.0", "STRATA-1.0.1", Some(true), "a patch-level upgrade (same 1.0"),
        ("STRATA-1.0.1", "STRATA-1.0.0", Some(true), "a patch-level downgrade (same 1.0"),
        ("STRATA-1.0.0", "STRATA-1.1.0", Some(false), "a minor change"),
        ("STRATA-1.0.1", "STRATA-1.1.0", Some(false), "a minor change"),
        ("STRATA-1.0.0", "STRATA-2.0.0", Some(false), "a major change"),
        ("STRATA-1.1.0", "STRATA-1.0.1", Some(false), "a downgrade across minor versions"),
        ("STRATA-1.0.0", "EMR-3.2.0", Some(false), "different lines (STRATA and EMR)"),
        ("EMR-3.0.1", "EMR-3.0.2", Some(false), "EMR-3.0.1 is not installable on this machine"),
        ("STRATA-1.0.1", "STRATA-1.0.2", Some(false), "STRATA-1.0.2 is not in the release catalog"),
        ("STRATA-1.0.0", "strata-1.0.1", Some(false), "not two release names"),
    ];

    #[test]
    fn only_a_patch_level_change_between_installable_releases_is_in_place() {
        for (from, to, in_place, words) in CASES {
            let change = release_change(from, to);
            match (in_place, &change) {
                (None, ReleaseChange::Same) => continue,
                (Some(true), ReleaseChange::InPlace(_)) | (Some(false), ReleaseChange::Replace(_)) => {}
                _ => panic!("{from} -> {to}: {change:?}"),
            }
            let reason = change.reason().unwrap();
            assert!(reason.starts_with(&format!("{from} -> {to}: ")), "{reason}");
            assert!(reason.contains(words), "{from} -> {to}: {reason}");
            let ending = if *in_place == Some(true) { "(see restarts)" } else { "the cluster is replaced" };
            assert!(reason.ends_with(ending), "{reason}");
        }
    }

    #[test]
    fn a_component_linked_at_another_version_restarts_its_running_services() {
        let topology = crate::topology::spark_cluster("STRATA-1.0.1", 2);
        let status = topology.expected_status();
        let same = topology.components_by_host();
        assert!(component_restarts(&topology, Some(&same), &status).is_empty(), "the same versions: no restart");
        assert!(component_restarts(&topology, None, &status).is_empty());
        let mut older = same.clone();
        older.insert("a-core-1".into(), vec!["SPARK 4.2.0".into()]);
        older.insert("a-master-0".into(), vec!["ZOOKEEPER 3.7.1".into(), "SPARK 4.3.0".into()]);
        assert_eq!(
            component_restarts(&topology, Some(&older), &status),
            ["a-core-1/spark-worker", "a-master-0/zookeeper-server"]
        );
        // A stopped service is started, not restarted; a node without the component before
        // starts its services.
        let mut stopped = status.clone();
        stopped.insert("a-core-1/spark-worker".into(), "stopped".into());
        older.insert("a-master-0".into(), vec!["SPARK 4.3.0".into()]);
        assert!(component_restarts(&topology, Some(&older), &stopped).is_empty());
    }

    #[test]
    fn a_relinked_component_restarts_its_services_on_that_node() {
        let topology = crate::topology::spark_cluster("STRATA-1.0.0", 2);
        let relinked = BTreeMap::from([
            ("a-core-1".to_string(), vec!["/opt/strata/spark".to_string()]),
            ("a-master-0".to_string(), vec!["/opt/strata/zookeeper".to_string()]),
            ("a-core-0".to_string(), Vec::new()),
        ]);
        let restarted = services_of_relinked(&topology, &relinked);
        let expected = BTreeMap::from([
            ("spark-worker".to_string(), BTreeSet::from(["a-core-1".to_string()])),
            ("zookeeper-server".to_string(), BTreeSet::from(["a-master-0".to_string()])),
        ]);
        assert_eq!(restarted, expected);
    }

    #[test]
    fn a_component_found_at_another_version_restarts_its_running_services() {
        let topology = crate::topology::spark_cluster("STRATA-1.0.1", 2);
        let mut status = topology.expected_status();
        let mut found = crate::installed::expected(&topology);
        assert!(drifted_restarts(&topology, Some(&found), &status).is_empty());
        assert!(drifted_restarts(&topology, None, &status).is_empty(), "a state from before installed_versions");
        found.insert("a-core-0/SPARK".into(), "4.2.0".into());
        found.insert("a-master-0/SPARK".into(), "missing".into());
        status.insert("a-master-0/spark-history-server".into(), "stopped".into());
        assert_eq!(
            drifted_restarts(&topology, Some(&found), &status),
            ["a-core-0/spark-worker", "a-master-0/spark-master"],
            "a stopped service is started, not restarted"
        );
    }
}
