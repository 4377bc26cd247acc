//! Provider aliases: `provider "local" { alias = "archive" ... }` is a second configuration of
//! the same provider (a plugin process of its own), and `provider = local.archive` on a
//! resource uses it. Over `testdata/engine/provider-aliases/main.hcl`: each bucket lands under
//! the root its provider configuration names, state records which configuration made each
//! object, the next plan is empty and destroy goes through the same configurations. No root
//! needed (everything under a directory of the test's own).

use std::path::Path;

mod support;
use support::{expect_in, plugin};

#[test]
fn each_resource_uses_the_configuration_it_names() {
    plugin("local");
    // Outside /tmp: the local provider refuses a state directory there.
    let work = support::persistent_tempdir("provider-aliases-");
    let dir = work.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/provider-aliases/main.hcl");
    std::fs::copy(fixture, dir.join("main.hcl")).unwrap();

    expect_in(dir, &["apply", "--auto-approve"], 0);
    assert!(dir.join("hot/alias-today").is_dir());
    assert!(!dir.join("cold/alias-today").exists());
    assert_eq!(std::fs::read_to_string(dir.join("cold/alias-archive/2026/report.txt")).unwrap(), "archived");
    assert!(!dir.join("hot/alias-archive").exists());

    let state = std::fs::read_to_string(dir.join("strata.state.json")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    let providers: Vec<(String, String)> = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["address"].as_str().unwrap().to_owned(), r["provider"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        providers,
        [
            ("local_bucket.archive".to_owned(), "provider.local.archive".to_owned()),
            ("local_bucket.today".to_owned(), "provider.local".to_owned()),
            ("local_bucket_object.report".to_owned(), "provider.local.archive".to_owned()),
        ]
    );

    expect_in(dir, &["plan", "--detailed-exitcode"], 0);
    expect_in(dir, &["destroy", "--auto-approve"], 0);
    assert!(!dir.join("hot/alias-today").exists());
    assert!(!dir.join("cold/alias-archive").exists());
}
