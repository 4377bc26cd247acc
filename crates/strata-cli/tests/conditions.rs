//! Preconditions stop a plan, postconditions stop what depends on a resource after it is
//! created, and `check` blocks warn without stopping anything (`testdata/engine-conditions`).

use std::path::Path;
use std::process::{Command, Output};

fn strata(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

#[test]
fn conditions_gate_plan_and_apply() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine-conditions/main.hcl");
    std::fs::copy(source, dir.path().join("main.hcl")).unwrap();

    let failed = strata(dir.path(), &["plan", "--var", "size=12"]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1));
    assert!(stderr.contains("Resource precondition failed") && stderr.contains("size must be below 10"), "{stderr}");
    assert_eq!(stderr.matches('×').count(), 1, "one failure, no cascade: {stderr}");

    let planned = strata(dir.path(), &["plan"]);
    let stderr = String::from_utf8_lossy(&planned.stderr);
    assert!(planned.status.success(), "{stderr}");
    assert!(stderr.contains("Check block assertion failed") && stderr.contains("size is small"), "{stderr}");

    let applied = strata(dir.path(), &["apply", "--auto-approve"]);
    let stderr = String::from_utf8_lossy(&applied.stderr);
    assert_eq!(applied.status.code(), Some(1));
    assert!(
        stderr.contains("Resource postcondition failed") && stderr.contains("b's output is too small: 5"),
        "{stderr}"
    );
    assert!(stderr.contains("strata_data.c: skipped because strata_data.b failed"), "{stderr}");
    let listed = strata(dir.path(), &["state", "list"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "strata_data.a\nstrata_data.b\n");
}
