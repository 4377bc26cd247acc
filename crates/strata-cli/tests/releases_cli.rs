//! `strata releases list | show | diff`: snapshots of the real binary's output.

use std::process::Command;

fn strata(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_strata")).args(args).env("NO_COLOR", "1").output().unwrap();
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn list_shows_every_release() {
    let out = strata(&["releases", "list"]);
    // 19 EMR releases, STRATA-1.0.0 and its fix release STRATA-1.0.1, one line each under the header.
    assert_eq!(out.lines().filter(|l| l.starts_with("EMR-") || l.starts_with("STRATA-")).count(), 21, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn show_lists_components_services_and_start_order() {
    insta::assert_snapshot!(strata(&["releases", "show", "STRATA-1.0.0"]));
}

#[test]
fn show_the_fix_release() {
    insta::assert_snapshot!(strata(&["releases", "show", "STRATA-1.0.1"]));
}

#[test]
fn diff_says_what_kind_of_change() {
    insta::assert_snapshot!(strata(&["releases", "diff", "EMR-3.0.1", "EMR-3.0.2"]));
    insta::assert_snapshot!(strata(&["releases", "diff", "EMR-3.1.1", "EMR-3.2.0"]));
    // A fix release: the same component versions, so no component line.
    insta::assert_snapshot!(strata(&["releases", "diff", "STRATA-1.0.0", "STRATA-1.0.1"]));
    // Back within a.b: in place, as the emr provider does it; across minor versions: replaced.
    insta::assert_snapshot!(strata(&["releases", "diff", "STRATA-1.0.1", "STRATA-1.0.0"]));
    insta::assert_snapshot!(strata(&["releases", "diff", "EMR-3.2.0", "EMR-3.1.1"]));
}

#[test]
fn an_unknown_release_suggests_the_nearest() {
    insta::assert_snapshot!(strata(&["releases", "show", "EMR-3.2.1"]));
}
