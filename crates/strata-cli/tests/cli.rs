//! CLI snapshots: exit code, stdout and stderr of real `strata` runs, with paths redacted.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Runs strata in `dir` and renders the result for a snapshot.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_strata"));
    command.current_dir(dir).args(args).env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    for (k, _v) in std::env::vars() {
        if k.starts_with("STRATA_VAR_") {
            command.env_remove(k);
        }
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    let redact = |text: &[u8]| {
        String::from_utf8_lossy(text)
            .replace(&repo().display().to_string(), "[ROOT]")
            .replace(&dir.display().to_string(), "[DIR]")
    };
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        redact(&output.stdout),
        redact(&output.stderr)
    )
}

#[test]
fn validate_example_succeeds() {
    insta::assert_snapshot!(run(&repo().join("examples/local-spark"), &["validate"], &[]));
}

#[test]
fn validate_reports_every_problem_with_source() {
    insta::assert_snapshot!(run(&repo().join("testdata/cli/invalid"), &["validate"], &[]));
}

#[test]
fn validate_json() {
    insta::assert_snapshot!(run(&repo().join("testdata/cli/invalid"), &["validate", "--json"], &[]));
}

#[test]
fn validate_with_chdir_and_variables() {
    let repo = repo();
    insta::assert_snapshot!(run(&repo, &["--chdir", "examples/local-spark", "validate", "--var", "workers=20"], &[]));
    insta::assert_snapshot!(run(
        &repo,
        &["--chdir", "examples/local-spark", "validate"],
        &[("STRATA_VAR_workers", "many")]
    ));
    insta::assert_snapshot!(run(&repo, &["--chdir", "examples/local-spark", "validate", "--var", "wokers=3"], &[]));
}

#[test]
fn chdir_to_missing_directory() {
    insta::assert_snapshot!(run(&repo(), &["--chdir", "no/such/dir", "validate"], &[]));
}

#[test]
fn graph_of_example() {
    insta::assert_snapshot!(run(&repo().join("examples/local-spark"), &["graph"], &[]));
}

#[test]
fn fmt_check_diff_and_write() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.hcl"),
        "resource \"strata_data\" \"a\" {\ninput=1\n  triggers_replace = [1]\n}\n",
    )
    .unwrap();
    insta::assert_snapshot!("fmt_check", run(dir.path(), &["fmt", "--check", "--diff"], &[]));
    insta::assert_snapshot!("fmt_write", run(dir.path(), &["fmt"], &[]));
    insta::assert_snapshot!("fmt_after", std::fs::read_to_string(dir.path().join("main.hcl")).unwrap());
    insta::assert_snapshot!("fmt_check_clean", run(dir.path(), &["fmt", "--check"], &[]));
}

#[test]
fn fmt_reports_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.hcl"), "resource \"a\" {\n").unwrap();
    insta::assert_snapshot!(run(dir.path(), &["fmt"], &[]));
}
