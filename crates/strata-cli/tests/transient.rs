//! Transient resources (`lifecycle { transient = true }`) over
//! `testdata/engine/transient/main.hcl`: every apply makes the "cluster", runs the "job" on it
//! and releases the cluster at the end, also when the job fails (exit code 1, the job's error
//! shown); what is not transient stays; the next plan makes the cluster again and re-runs the
//! job; `destroy` removes the rest.

use std::path::Path;

mod support;
use support::{expect_in, plugin};

/// `strata ARGS` in `dir` with the test provider built: stdout and stderr, failing unless it
/// exits with `code`.
fn expect(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    plugin("test");
    expect_in(dir, args, code)
}

fn state_list(dir: &Path) -> Vec<String> {
    expect(dir, &["state", "list"], 0).0.lines().map(str::to_owned).collect()
}

#[test]
fn transient_objects_are_released_after_every_apply() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/transient/main.hcl");
    std::fs::copy(fixture, dir.join("main.hcl")).unwrap();

    // The plan says what is transient.
    let (plan, _) = expect(dir, &["plan", "--detailed-exitcode"], 2);
    assert!(
        plan.contains("Transient (lifecycle.transient): strata_data.cluster, strata_file.cluster_disk: released"),
        "{plan}"
    );

    // A run that succeeds: made, used, released; the job and the results stay.
    let (stdout, stderr) = expect(dir, &["apply", "--auto-approve"], 0);
    assert!(stderr.contains("Releasing transient objects: strata_data.cluster, strata_file.cluster_disk"), "{stderr}");
    assert!(
        stdout.contains("strata_file.cluster_disk: Creation complete")
            || stderr.contains("strata_file.cluster_disk: Creation complete"),
        "{stdout}{stderr}"
    );
    assert!(!dir.join("cluster.txt").exists(), "the cluster's file is released");
    assert!(dir.join("results.txt").exists());
    assert_eq!(state_list(dir), ["strata_file.results", "test_thing.job"]);
    let first_job = expect(dir, &["output", "--raw", "job"], 0).0;
    assert!(first_job.starts_with("job-on-"), "{first_job}");

    // The next plan makes the cluster again and runs the job again (new cluster id).
    let (plan, _) = expect(dir, &["plan", "--detailed-exitcode"], 2);
    assert!(plan.contains("strata_data.cluster will be created"), "{plan}");
    assert!(plan.contains("test_thing.job must be replaced"), "{plan}");

    // A run whose job fails: exit 1 with the job's error, and the cluster is released anyway.
    let (_, stderr) = expect(dir, &["apply", "--auto-approve", "--var", "job_behavior=fail"], 1);
    assert!(stderr.contains("asked to fail"), "{stderr}");
    assert!(stderr.contains("Released: strata_data.cluster, strata_file.cluster_disk."), "{stderr}");
    assert!(!dir.join("cluster.txt").exists());
    assert_eq!(state_list(dir), ["strata_file.results"]);

    // And once more, succeeding: converged, the job recorded again.
    expect(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(state_list(dir), ["strata_file.results", "test_thing.job"]);
    let second_job = expect(dir, &["output", "--raw", "job"], 0).0;
    assert_ne!(first_job, second_job, "a new cluster, a new run");

    // destroy removes what is left; nothing transient is in state to release.
    expect(dir, &["destroy", "--auto-approve"], 0);
    assert!(state_list(dir).is_empty());
    assert!(!dir.join("results.txt").exists());
}
