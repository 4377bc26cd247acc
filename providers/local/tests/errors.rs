//! Refusals: a subnet already routed on the machine, a state directory under /tmp, bad
//! names, unknown instance types, taken ids and hostnames. Nothing is left after a refusal.

mod common;

use common::{TestNetwork, can_run, link_exists, unique_state_dir};
use strata_provider_local::{Error, HostSpec, HostStatus, Network};

fn spec(id: &str, hostname: &str, instance_type: &str) -> HostSpec {
    HostSpec { id: id.into(), hostname: hostname.into(), instance_type: instance_type.into() }
}

#[test]
fn refusals_leave_nothing_behind() {
    if !can_run() {
        return;
    }
    let test = TestNetwork::new("errors", 204);
    let network = &test.network;
    let first = network.create_host(&spec("a", "alpha", "local.c1m1")).unwrap();

    // Another network (another state directory) on the same subnet: refused, naming the bridge.
    let other_dir = unique_state_dir("errors-other");
    let error = Network::open(&other_dir, "other-net", Some(network.subnet())).unwrap_err();
    let _ = std::fs::remove_dir_all(&other_dir);
    match &error {
        Error::SubnetOverlap { device, .. } => assert_eq!(device, network.bridge(), "{error}"),
        _ => panic!("expected a subnet overlap, got: {error}"),
    }
    // Reopening the network itself is fine: its own bridge does not count.
    let again = Network::open(&test.state_dir, network.name(), None).unwrap();
    assert_eq!(again.subnet(), network.subnet());

    let error = Network::open("/tmp/strata-state", "x", None).unwrap_err();
    assert!(matches!(error, Error::InvalidStateDir { .. }), "{error}");
    let error = Network::open(&test.state_dir, "Bad_Name", None).unwrap_err();
    assert!(matches!(error, Error::InvalidName { .. }), "{error}");

    let error = network.create_host(&spec("b", "beta", "m5.large")).unwrap_err();
    assert!(error.to_string().contains("local.c1m1"), "{error}");
    let error = network.create_host(&spec("a", "other", "local.c1m1")).unwrap_err();
    assert!(matches!(error, Error::HostExists { .. }), "{error}");
    let error = network.create_host(&spec("b", "ALPHA", "local.c1m1")).unwrap_err();
    assert!(matches!(error, Error::HostnameTaken { .. }), "{error}");
    let error = network.create_host(&spec("b", "bad_host", "local.c1m1")).unwrap_err();
    assert!(matches!(error, Error::InvalidName { .. }), "{error}");
    assert_eq!(network.status("b").unwrap(), HostStatus::Gone);
    assert!(!test.state_dir.join("hosts/b").exists());

    assert_eq!(network.status(&first.id).unwrap(), HostStatus::Running);
    network.destroy_host(&first.id).unwrap();
    assert!(!link_exists(network.bridge()));
}
