//! Partial state: a provider whose apply fails after it made its object returns the object with
//! the error (`providers/test`'s `fail_partial`, over the real plugin protocol), and the engine
//! records it. Over `testdata/engine/partial-state/main.hcl`:
//!
//! - a failed create: apply exits 1 with the provider's diagnostic, the object is in state
//!   tainted, what depends on it is skipped, the next plan replaces it "because it is tainted"
//!   (snapshot) and an apply that succeeds makes it ready;
//! - a failed update: the object the provider returned replaces the prior one, status unchanged.

use std::path::Path;

mod support;
use support::{expect_in as expect, plugin, run_in as run};

fn workspace() -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/partial-state/main.hcl");
    std::fs::copy(fixture, work.path().join("main.hcl")).unwrap();
    let providers = work.path().join(".strata/providers");
    std::fs::create_dir_all(&providers).unwrap();
    std::os::unix::fs::symlink(plugin("test"), providers.join("strata-provider-test")).unwrap();
    work
}

#[test]
fn a_failed_create_is_recorded_tainted_and_replaced_by_the_next_apply() {
    let work = workspace();
    let dir = work.path();

    let (_, stderr) = expect(dir, &["apply", "--auto-approve"], 1);
    for expected in [
        "Failed to apply",
        "test_thing.job (attribute \"behavior\"): asked to fail after making the object",
        "The object it made is recorded as tainted, so the next plan replaces it.",
        "test_thing.after: skipped because test_thing.job failed",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
    let (listed, _) = expect(dir, &["state", "list"], 0);
    assert_eq!(listed, "test_thing.job\ntest_thing.steady\n", "the failed object is in state, its dependent is not");
    let (shown, _) = expect(dir, &["state", "show", "test_thing.job"], 0);
    assert!(shown.starts_with("# test_thing.job: (tainted)\n"), "{shown}");
    assert!(shown.contains("behavior = \"fail_partial\""), "{shown}");
    let state = std::fs::read_to_string(dir.join("strata.state.json")).unwrap_or_default()
        + &std::fs::read_to_string(dir.join("strata.state.json.journal")).unwrap_or_default();
    assert!(!state.contains("\"intent\""), "recording the object cleared the intent:\n{state}");

    // The next plan replaces it because it is tainted, and says so.
    expect(dir, &["plan", "--detailed-exitcode"], 2);
    let (status, stdout, stderr) = run(dir, &["plan", "--var", "create_behavior=ok"]);
    let mut settings = insta::Settings::clone_current();
    // Ids are the engine's intent tokens.
    settings.add_filter(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[ID]");
    settings.bind(|| {
        insta::assert_snapshot!(
            "plan_after_a_failed_create",
            format!("exit: {status}\n--- stdout\n{stdout}--- stderr\n{stderr}")
        )
    });

    let (_, stderr) = expect(dir, &["apply", "--auto-approve", "--var", "create_behavior=ok"], 0);
    assert!(stderr.contains("Resources: 2 added, 0 changed, 1 destroyed."), "{stderr}");
    let (shown, _) = expect(dir, &["state", "show", "test_thing.job"], 0);
    assert!(shown.starts_with("# test_thing.job:\n"), "ready again:\n{shown}");
    expect(dir, &["plan", "--detailed-exitcode", "--var", "create_behavior=ok"], 0);
}

#[test]
fn a_failed_update_records_the_object_the_provider_returned() {
    let work = workspace();
    let dir = work.path();
    expect(dir, &["apply", "--auto-approve", "--var", "create_behavior=ok"], 0);

    let update = ["--var", "create_behavior=ok", "--var", "update_behavior=fail_partial"];
    let apply: Vec<&str> = ["apply", "--auto-approve"].iter().chain(&update).copied().collect();
    let (_, stderr) = expect(dir, &apply, 1);
    for expected in [
        "test_thing.steady (attribute \"behavior\"): asked to fail after making the object",
        "The object is recorded as the provider left it.",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
    // Status unchanged (not tainted), attributes as the provider returned them: they match the
    // configuration, so nothing is left to do.
    let (shown, _) = expect(dir, &["state", "show", "test_thing.steady"], 0);
    assert!(shown.starts_with("# test_thing.steady:\n"), "{shown}");
    assert!(shown.contains("behavior = \"fail_partial\""), "{shown}");
    let plan: Vec<&str> = ["plan", "--detailed-exitcode"].iter().chain(&update).copied().collect();
    expect(dir, &plan, 0);
}
