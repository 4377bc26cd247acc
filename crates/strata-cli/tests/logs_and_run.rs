//! `strata logs ADDR` and `strata run ADDR`, with the built-in `strata` provider (no cluster):
//!
//! - `logs` prints the file a recorded instance's `log_path` names (`--tail N`: its last lines),
//!   and says clearly why it cannot: an instance without `log_path`, a log file that is gone,
//!   an address not in the state;
//! - `run` is `apply --replace ADDR --target ADDR`: only that instance is replaced; an address
//!   the configuration does not declare (or with a wrong instance key) is refused first.

use std::path::Path;

mod support;
use support::snapshot_in as run;

const CONFIG: &str = r#"
resource "strata_data" "job" {
  input = "run me"
}

resource "strata_data" "other" {
  input = "leave me"
}

resource "strata_data" "many" {
  count = 2
  input = count.index
}
"#;

/// A state holding `emr_job.logged` (its log in `dir`), `emr_job.lost` (its log gone) and
/// `strata_data.plain` (no `log_path`), as an apply of the emr provider would have left it.
fn state_with_logs(dir: &Path) -> String {
    let job = |name: &str, log: &Path| {
        format!(
            r#"{{"address": "emr_job.{name}", "provider": "provider.emr", "schema_version": 0,
               "attributes": {{"id": "j-{name}", "status": "SUCCEEDED", "log_path": "{}"}},
               "sensitive_paths": [], "dependencies": [], "status": "ready", "create_before_destroy": false}}"#,
            log.display()
        )
    };
    format!(
        r#"{{"format": "strata-state", "version": 2, "serial": 3, "lineage": "0b7e1c9a-2f4d-4e8a-9c3b-5d6f7a8b9c0d",
           "resources": [{}, {},
             {{"address": "strata_data.plain", "provider": "provider.strata", "schema_version": 0,
               "attributes": {{"id": "p", "input": "x", "output": "x", "triggers_replace": null}},
               "sensitive_paths": [], "dependencies": [], "status": "ready", "create_before_destroy": false}}],
           "outputs": {{}}, "intents": []}}"#,
        job("logged", &dir.join("logs/driver.log")),
        job("lost", &dir.join("logs/gone.log"))
    )
}

#[test]
fn logs_prints_the_log_path_of_an_instance_or_says_why_not() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    std::fs::write(dir.join("logs/driver.log"), "starting\nrunning as app-1\nPi is roughly 3.14\n").unwrap();
    std::fs::write(dir.join("strata.state.json"), state_with_logs(dir)).unwrap();

    insta::assert_snapshot!("logs_whole", run(dir, &["logs", "emr_job.logged"]));
    insta::assert_snapshot!("logs_tail", run(dir, &["logs", "emr_job.logged", "--tail", "1"]));
    insta::assert_snapshot!("logs_file_gone", run(dir, &["logs", "emr_job.lost"]));
    insta::assert_snapshot!("logs_no_log_path", run(dir, &["logs", "strata_data.plain"]));
    insta::assert_snapshot!("logs_not_in_state", run(dir, &["logs", "emr_job.loged"]));
}

#[test]
fn run_replaces_only_the_instance_it_names() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    std::fs::write(dir.join("main.hcl"), CONFIG).unwrap();
    assert!(run(dir, &["apply", "--auto-approve"]).starts_with("exit: 0"));
    let id = |name: &str| {
        let shown = run(dir, &["state", "show", name]);
        shown.lines().find(|line| line.trim_start().starts_with("id ")).unwrap_or_default().to_owned()
    };
    let (job, other) = (id("strata_data.job"), id("strata_data.other"));

    let ran = run(dir, &["run", "strata_data.job", "--auto-approve"]);
    assert!(ran.starts_with("exit: 0"), "{ran}");
    assert!(ran.contains("# strata_data.job will be replaced, as requested"), "{ran}");
    assert!(ran.contains("Resources: 1 added, 0 changed, 1 destroyed."), "{ran}");
    assert_ne!(id("strata_data.job"), job, "a new object");
    assert_eq!(id("strata_data.other"), other, "nothing else is touched");
    let ran = run(dir, &["run", "strata_data.many[1]", "--auto-approve"]);
    assert!(ran.contains("Resources: 1 added, 0 changed, 1 destroyed."), "{ran}");

    insta::assert_snapshot!("run_not_in_configuration", run(dir, &["run", "strata_data.jb", "--auto-approve"]));
    insta::assert_snapshot!("run_needs_an_instance_key", run(dir, &["run", "strata_data.many", "--auto-approve"]));
    insta::assert_snapshot!("run_refuses_a_key", run(dir, &["run", "strata_data.job[0]", "--auto-approve"]));
    insta::assert_snapshot!("run_refuses_a_data_source", run(dir, &["run", "data.strata_data.job"]));
}
