//! What the human plan says about `emr_job`, and why: `testdata/job-plans/` holds a
//! configuration and the state it is planned from (a new job, one that failed and is tainted,
//! one whose `triggers` changed, one whose `main` changed, one unchanged). A job's plan needs no
//! cluster (it only reads `main`), so this runs the real `emr` plugin anywhere. The headline of
//! each says why it runs (again); the attribute that forces a replacement is marked.

use std::path::Path;
use std::process::{Command, Stdio};

mod support;
use support::{plugin, strata};

#[test]
fn job_plans_say_why_each_job_runs() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/job-plans");
    let work = tempfile::tempdir().unwrap();
    for file in ["main.hcl", "job.py"] {
        std::fs::copy(fixture.join(file), work.path().join(file)).unwrap();
    }
    std::fs::copy(fixture.join("state.json"), work.path().join("strata.state.json")).unwrap();
    plugin("emr");
    let output = Command::new(strata())
        .args(["plan", "--detailed-exitcode"])
        .current_dir(work.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    insta::assert_snapshot!(format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ));
}
