//! Which ECS instances an update of an `alicloud_emr_cluster` keeps, deletes and launches: a
//! pure function from the instances found (tagged with the cluster's id, or listed in its
//! state) and the nodes the configuration wants to a [`NodeChanges`], so scaling, remaking a
//! lost or stopped instance and cleaning up after an interrupted update are one computation,
//! tested without an API.
//!
//! Nodes and instances are matched by hostname (`<cluster>-<group>-<index>`, the `HostName`
//! the instances were launched with). Missing nodes are launched in runs of consecutive
//! indexes, one `RunInstances` per run (`HostName` `<cluster>-<group>-[begin,digits]`), each
//! with a `ClientToken` made from the cluster, the run and the instances kept: a retried or
//! interrupted update asks for the same run with the same token and ECS answers with the
//! instances it already launched, while a run asked for again after a scale in (other instances
//! kept) gets a new token.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::api::instances::Instance;

/// What an update does to the cluster's instances.
#[derive(Clone, Debug, Default)]
pub struct NodeChanges {
    /// Instances of wanted nodes that run or are starting: kept as they are.
    pub keep: Vec<Instance>,
    /// Instances of wanted nodes that are stopped (or stopping): deleted, then launched again.
    pub remake: Vec<Instance>,
    /// Instances of no wanted node (the group shrank or went, a duplicate hostname, a name not
    /// of this cluster): their services stopped, then deleted, after the rest converged.
    pub surplus: Vec<Instance>,
    /// Wanted nodes without an instance, as runs to launch.
    pub launches: Vec<LaunchRun>,
}

/// Consecutive nodes of one group launched by one `RunInstances`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaunchRun {
    pub group: String,
    pub begin: usize,
    pub amount: usize,
}

impl LaunchRun {
    /// `HostName` and `InstanceName` of the run: ECS numbers its instances from `begin`, with
    /// as many digits as the last index needs.
    pub fn name_pattern(&self, cluster: &str) -> String {
        let last = self.begin + self.amount.max(1) - 1;
        format!("{cluster}-{}-[{},{}]", self.group, self.begin, last.to_string().len())
    }

    /// The run's `ClientToken` (at most 64 characters): the same cluster, run and kept
    /// instances give the same token.
    pub fn client_token(&self, cluster_id: &str, kept: &[Instance]) -> String {
        let mut ids: Vec<&str> = kept.iter().map(|instance| instance.instance_id.as_str()).collect();
        ids.sort_unstable();
        let digest = Sha256::digest(
            format!("{cluster_id}/{}/{}+{}/{}", self.group, self.begin, self.amount, ids.join(",")).as_bytes(),
        );
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        format!("emr-scale-{}", &hex[..40])
    }
}

/// The node group and index an instance's `HostName` gives it (`<cluster>-<group>-<digits>`).
pub fn group_and_index<'a>(cluster: &str, host_name: &'a str) -> Option<(&'a str, usize)> {
    let rest = host_name.strip_prefix(cluster)?.strip_prefix('-')?;
    let (group, digits) = rest.rsplit_once('-')?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((group, digits.parse().ok()?))
}

/// What to do so that every node of `wanted` (group, index) of cluster `cluster` has exactly
/// one running instance, given the instances `found`.
pub fn reconcile(cluster: &str, wanted: &[(String, usize)], found: &[Instance]) -> NodeChanges {
    let wanted_set: BTreeSet<(&str, usize)> = wanted.iter().map(|(group, index)| (group.as_str(), *index)).collect();
    let mut changes = NodeChanges::default();
    let mut taken: BTreeSet<(&str, usize)> = BTreeSet::new();
    // Running instances first, so a stopped duplicate of a running node is the surplus one.
    let mut ordered: Vec<&Instance> = found.iter().collect();
    ordered.sort_by_key(|instance| (!is_alive(instance), instance.instance_id.clone()));
    for instance in ordered {
        let node = group_and_index(cluster, &instance.host_name).filter(|node| wanted_set.contains(node));
        match node {
            Some(node) if !taken.contains(&node) => {
                taken.insert(node);
                if is_alive(instance) {
                    changes.keep.push(instance.clone());
                } else {
                    changes.remake.push(instance.clone());
                }
            }
            _ => changes.surplus.push(instance.clone()),
        }
    }
    let kept: BTreeSet<(&str, usize)> =
        changes.keep.iter().filter_map(|instance| group_and_index(cluster, &instance.host_name)).collect();
    let mut missing: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for node in &wanted_set {
        if !kept.contains(node) {
            missing.entry(node.0).or_default().push(node.1);
        }
    }
    for (group, indexes) in missing {
        for index in indexes {
            match changes.launches.last_mut() {
                Some(run) if run.group == group && run.begin + run.amount == index => run.amount += 1,
                _ => changes.launches.push(LaunchRun { group: group.to_string(), begin: index, amount: 1 }),
            }
        }
    }
    // Highest index first, as a scale in removes nodes.
    changes.surplus.sort_by(|a, b| {
        let key = |instance: &Instance| group_and_index(cluster, &instance.host_name).map(|(_, index)| index);
        key(b).cmp(&key(a)).then_with(|| a.instance_id.cmp(&b.instance_id))
    });
    changes
}

/// Running, or on its way there.
fn is_alive(instance: &Instance) -> bool {
    matches!(instance.status.as_str(), "Running" | "Pending" | "Starting")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(id: &str, host_name: &str, status: &str) -> Instance {
        Instance { instance_id: id.into(), host_name: host_name.into(), status: status.into(), ..Instance::default() }
    }

    fn wanted(groups: &[(&str, usize)]) -> Vec<(String, usize)> {
        groups.iter().flat_map(|(group, count)| (0..*count).map(|index| (group.to_string(), index))).collect()
    }

    fn ids(instances: &[Instance]) -> Vec<&str> {
        instances.iter().map(|instance| instance.instance_id.as_str()).collect()
    }

    #[test]
    fn a_cluster_as_configured_changes_nothing() {
        let found = [
            instance("i-m0", "a-master-0", "Running"),
            instance("i-c0", "a-core-0", "Running"),
            instance("i-c1", "a-core-1", "Starting"),
        ];
        let changes = reconcile("a", &wanted(&[("master", 1), ("core", 2)]), &found);
        assert_eq!(ids(&changes.keep), ["i-c0", "i-c1", "i-m0"]);
        assert!(changes.remake.is_empty() && changes.surplus.is_empty() && changes.launches.is_empty());
    }

    #[test]
    fn scaling_out_launches_the_new_indexes_in_one_run() {
        let found = [instance("i-m0", "a-master-0", "Running"), instance("i-c0", "a-core-0", "Running")];
        let changes = reconcile("a", &wanted(&[("master", 1), ("core", 12)]), &found);
        assert_eq!(changes.launches, [LaunchRun { group: "core".into(), begin: 1, amount: 11 }]);
        assert_eq!(changes.launches[0].name_pattern("a"), "a-core-[1,2]");
        assert!(changes.surplus.is_empty());
    }

    #[test]
    fn scaling_in_makes_the_highest_indexes_surplus_first() {
        let found = [
            instance("i-m0", "a-master-0", "Running"),
            instance("i-c0", "a-core-0", "Running"),
            instance("i-c1", "a-core-1", "Running"),
            instance("i-c2", "a-core-2", "Running"),
            instance("i-t0", "a-task-0", "Running"),
        ];
        let changes = reconcile("a", &wanted(&[("master", 1), ("core", 1)]), &found);
        assert_eq!(ids(&changes.surplus), ["i-c2", "i-c1", "i-t0"]);
        assert!(changes.launches.is_empty());
    }

    #[test]
    fn lost_and_stopped_instances_are_launched_again() {
        let found = [
            instance("i-m0", "a-master-0", "Running"),
            instance("i-c1", "a-core-1", "Stopped"),
            instance("i-c3", "a-core-3", "Running"),
        ];
        let changes = reconcile("a", &wanted(&[("master", 1), ("core", 4)]), &found);
        assert_eq!(ids(&changes.remake), ["i-c1"]);
        // core-0 is gone, core-1 stopped, core-2 gone: one run 0..3.
        assert_eq!(changes.launches, [LaunchRun { group: "core".into(), begin: 0, amount: 3 }]);
    }

    #[test]
    fn a_duplicate_hostname_is_surplus_and_the_running_one_is_kept() {
        let found = [
            instance("i-a", "a-core-0", "Stopped"),
            instance("i-b", "a-core-0", "Running"),
            instance("i-x", "other-core-0", "Running"),
        ];
        let changes = reconcile("a", &wanted(&[("core", 1)]), &found);
        assert_eq!(ids(&changes.keep), ["i-b"]);
        assert_eq!(ids(&changes.surplus), ["i-a", "i-x"]);
        assert!(changes.remake.is_empty() && changes.launches.is_empty());
    }

    #[test]
    fn tokens_repeat_for_a_retry_and_change_after_a_scale_in() {
        let run = LaunchRun { group: "core".into(), begin: 2, amount: 1 };
        let kept = [instance("i-m0", "a-master-0", "Running"), instance("i-c0", "a-core-0", "Running")];
        let reversed = [kept[1].clone(), kept[0].clone()];
        let token = run.client_token("c1", &kept);
        assert_eq!(token, run.client_token("c1", &reversed));
        assert!(token.len() <= 64 && token.starts_with("emr-scale-"));
        assert_ne!(token, run.client_token("c1", &kept[..1]));
        assert_ne!(token, run.client_token("c2", &kept));
        let other = LaunchRun { amount: 2, ..run.clone() };
        assert_ne!(token, other.client_token("c1", &kept));
    }

    #[test]
    fn hostnames_give_group_and_index() {
        assert_eq!(group_and_index("a", "a-core-0"), Some(("core", 0)));
        assert_eq!(group_and_index("a", "a-core-group-07"), Some(("core-group", 7)));
        assert_eq!(group_and_index("a", "a-core-"), None);
        assert_eq!(group_and_index("a", "b-core-1"), None);
        assert_eq!(group_and_index("a", "a-core-x"), None);
    }
}
