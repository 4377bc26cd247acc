//! `gc` removes hosts no state knows about: a forgotten running host, the remains of crashed
//! creates (a bare network namespace, a directory without a record), and then the bridge;
//! known hosts are kept; `gc_network` keeps to its network.

mod common;

use std::path::Path;

use common::{TestNetwork, assert_nothing_left, can_run, link_exists, run, ssh_ok};
use strata_provider_local::{HostSpec, HostStatus, Network, gc, gc_network};

fn spec(id: &str, hostname: &str) -> HostSpec {
    HostSpec { id: id.into(), hostname: hostname.into(), instance_type: "local.c1m2".into() }
}

#[test]
fn gc_removes_forgotten_hosts_and_keeps_known_ones() {
    if !can_run() {
        return;
    }
    let test = TestNetwork::new("gc", 202);
    let network = &test.network;
    let kept = network.create_host(&spec("kept", "kept")).unwrap();
    let forgotten = network.create_host(&spec("forgotten", "forgotten")).unwrap();
    assert_eq!(network.status(&forgotten.id).unwrap(), HostStatus::Running);

    // Remains of crashed creates: a namespace with no directory, a directory with no record.
    let ghost_netns = format!("strata.{}.ghost", network.name());
    run("ip", &["netns", "add", &ghost_netns]);
    let orphan_dir = test.state_dir.join("hosts/orphan/fs/tmp");
    std::fs::create_dir_all(&orphan_dir).unwrap();

    let report = gc(&test.state_dir, &["kept"]).unwrap();
    let mut removed = report.removed_hosts.clone();
    removed.sort();
    assert_eq!(removed, ["forgotten", "ghost", "orphan"]);
    assert!(report.removed_bridges.is_empty(), "the bridge still serves {}", kept.id);
    assert_nothing_left(&test.state_dir, network.name(), &forgotten);
    assert!(!Path::new("/run/netns").join(&ghost_netns).exists());
    assert!(!test.state_dir.join("hosts/orphan").exists());
    assert_eq!(network.status(&forgotten.id).unwrap(), HostStatus::Gone);

    // The kept host still runs and no longer lists the forgotten one.
    assert_eq!(network.status(&kept.id).unwrap(), HostStatus::Running);
    let key = test.client_key();
    assert_eq!(ssh_ok(&key, &kept, "grep -c forgotten /etc/hosts || true").trim(), "0");

    // Nothing known: the last host and the bridge go; a second gc has nothing to do.
    let report = gc(&test.state_dir, &[]).unwrap();
    assert_eq!(report.removed_hosts, ["kept"]);
    assert_eq!(report.removed_bridges, [network.bridge()]);
    assert_nothing_left(&test.state_dir, network.name(), &kept);
    assert!(!link_exists(network.bridge()));
    assert_eq!(gc(&test.state_dir, &[]).unwrap(), Default::default());
}

/// `gc_network` removes the forgotten hosts of one network and nothing of another network in
/// the same state directory (another project's), not even its stray namespaces.
#[test]
fn gc_network_leaves_other_networks_alone() {
    if !can_run() {
        return;
    }
    let test = TestNetwork::new("gcnet", 206);
    let mine = &test.network;
    let theirs = (0..50u32)
        .find_map(|offset| {
            let third = (mine.subnet().network().octets()[2] as u32 + 100 + offset) % 250;
            let subnet = format!("10.206.{third}.0/24").parse().unwrap();
            Network::open(&test.state_dir, &format!("{}-other", mine.name()), Some(subnet)).ok()
        })
        .expect("a second network");
    let forgotten = mine.create_host(&spec("mine1", "mine1")).unwrap();
    let other = theirs.create_host(&spec("theirs1", "theirs1")).unwrap();
    let their_ghost = format!("strata.{}.ghost", theirs.name());
    run("ip", &["netns", "add", &their_ghost]);

    let report = gc_network(&test.state_dir, mine.name(), &[]).unwrap();
    assert_eq!(report.removed_hosts, ["mine1"]);
    assert_eq!(report.removed_bridges, [mine.bridge()]);
    assert_nothing_left(&test.state_dir, mine.name(), &forgotten);
    assert_eq!(theirs.status(&other.id).unwrap(), HostStatus::Running);
    assert!(Path::new("/run/netns").join(&their_ghost).exists());
    assert!(link_exists(theirs.bridge()));

    let mut report = gc_network(&test.state_dir, theirs.name(), &[]).unwrap();
    report.removed_hosts.sort();
    assert_eq!(report.removed_hosts, ["ghost", "theirs1"]);
    assert_nothing_left(&test.state_dir, theirs.name(), &other);
    assert!(!link_exists(theirs.bridge()));
}
