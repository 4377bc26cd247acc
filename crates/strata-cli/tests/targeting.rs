//! `--target` with an instance key over `testdata/engine/targeting/main.hcl`: only the named
//! instance changes (plan, apply, destroy); naming the resource whole changes all of it.

use std::path::Path;

mod support;
use support::expect_in;

fn content(dir: &Path, index: usize) -> String {
    std::fs::read_to_string(dir.join(format!("f-{index}.txt"))).unwrap_or_else(|_| "(none)".into())
}

#[test]
fn an_instance_target_changes_only_that_instance() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/targeting/main.hcl");
    std::fs::copy(fixture, dir.join("main.hcl")).unwrap();
    expect_in(dir, &["apply", "--auto-approve"], 0);

    let (plan, _) = expect_in(dir, &["plan", "--var", "content=v2", "--target", "strata_file.f[1]"], 0);
    assert!(plan.contains("# strata_file.f[1] will be updated in-place"), "{plan}");
    assert!(!plan.contains("strata_file.f[0]") && !plan.contains("strata_file.f[2]"), "{plan}");
    assert!(plan.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "{plan}");

    expect_in(dir, &["apply", "--auto-approve", "--var", "content=v2", "--target", "strata_file.f[1]"], 0);
    assert_eq!([content(dir, 0), content(dir, 1), content(dir, 2)], ["v1 0", "v2 1", "v1 2"]);

    // Naming the resource whole as well: every instance.
    let (plan, _) = expect_in(
        dir,
        &["plan", "--var", "content=v2", "--target", "strata_file.f[1]", "--target", "strata_file.f"],
        0,
    );
    assert!(plan.contains("Plan: 0 to add, 2 to change, 0 to destroy."), "{plan}");

    expect_in(dir, &["destroy", "--auto-approve", "--target", "strata_file.f[2]"], 0);
    assert_eq!(content(dir, 2), "(none)");
    assert_eq!(content(dir, 0), "v1 0");
    let (list, _) = expect_in(dir, &["state", "list"], 0);
    assert_eq!(list, "strata_file.f[0]\nstrata_file.f[1]\n");
}
