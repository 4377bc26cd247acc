//! Deposed objects over `testdata/engine/deposed/main.hcl`: a `create_before_destroy`
//! replacement creates the new object, then its destroy of the old one fails
//! (`STRATA_TEST_PROVIDER_FAIL_DELETE`). The old object is not lost: the state (version 3)
//! keeps it as deposed beside the new one; the next plan says it will be destroyed and
//! nothing else; apply destroys it and the state is version 2 again with no deposed objects.

use std::path::Path;
use std::process::{Command, Stdio};

mod support;
use support::{expect_in, plugin, strata};

fn state(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("strata.state.json")).unwrap()).unwrap()
}

#[test]
fn a_failed_destroy_after_create_before_destroy_keeps_the_old_object() {
    plugin("test");
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/deposed/main.hcl");
    std::fs::copy(fixture, dir.join("main.hcl")).unwrap();
    expect_in(dir, &["apply", "--auto-approve"], 0);

    // Replace server-1 by server-2; destroying server-1 fails.
    let output = Command::new(strata())
        .args(["apply", "--auto-approve", "--var", "generation=2"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("STRATA_TEST_PROVIDER_FAIL_DELETE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("asked to fail destroying server-1"), "{stderr}");
    let saved = state(dir);
    assert_eq!(saved["version"], 3, "{saved:#}");
    assert_eq!(saved["resources"][0]["attributes"]["name"], "server-2");
    assert_eq!(saved["deposed"][0]["address"], "test_thing.server");
    assert_eq!(saved["deposed"][0]["attributes"]["name"], "server-1");

    // The next plan destroys the deposed object, and only that.
    let (plan, _) = expect_in(dir, &["plan", "--detailed-exitcode", "--var", "generation=2"], 2);
    assert!(
        plan.contains("# test_thing.server (deposed object, replaced by create_before_destroy but not yet destroyed) will be destroyed"),
        "{plan}"
    );
    assert!(plan.contains("\"server-1\""), "{plan}");
    assert!(plan.contains("Plan: 0 to add, 0 to change, 1 to destroy."), "{plan}");

    expect_in(dir, &["apply", "--auto-approve", "--var", "generation=2"], 0);
    let saved = state(dir);
    assert_eq!(saved["version"], 2);
    assert!(saved.get("deposed").is_none());
    assert_eq!(saved["resources"][0]["attributes"]["name"], "server-2");
    expect_in(dir, &["plan", "--detailed-exitcode", "--var", "generation=2"], 0);
}
