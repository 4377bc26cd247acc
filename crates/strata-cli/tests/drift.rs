//! `strata drift` over `testdata/drift/config/`: no drift → exit 0; a file edited and another
//! deleted behind Strata's back → exit 2, the human report and the JSON report (snapshots,
//! directory and lineage redacted); the state is not changed by it; `apply` repairs and the
//! report is empty again.

use std::path::Path;

mod support;
use support::snapshot_in;

/// `strata ARGS` in `dir`: exit code and snapshot text, directory and lineage redacted.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut text = snapshot_in(dir, args);
    let code = text["exit: ".len()..text.find('\n').unwrap()].parse().unwrap();
    if let Some(at) = text.find("\"lineage\": \"") {
        let start = at + "\"lineage\": \"".len();
        let end = start + text[start..].find('"').unwrap();
        text.replace_range(start..end, "[LINEAGE]");
    }
    (code, text)
}

#[test]
fn drift_reports_what_changed_outside_strata() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/drift/config/main.hcl");
    std::fs::copy(fixture, dir.join("main.hcl")).unwrap();
    assert_eq!(run(dir, &["apply", "--auto-approve"]).0, 0);

    let (code, text) = run(dir, &["drift"]);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!("drift_none", text);

    std::fs::write(dir.join("edited.txt"), "edited by hand\n").unwrap();
    std::fs::remove_file(dir.join("deleted.txt")).unwrap();
    let state_before = std::fs::read(dir.join("strata.state.json")).unwrap();
    let (code, text) = run(dir, &["drift"]);
    assert_eq!(code, 2, "{text}");
    insta::assert_snapshot!("drift_human", text);
    let (code, text) = run(dir, &["drift", "--json"]);
    assert_eq!(code, 2, "{text}");
    insta::assert_snapshot!("drift_json", text);
    assert_eq!(std::fs::read(dir.join("strata.state.json")).unwrap(), state_before, "drift writes no state");

    assert_eq!(run(dir, &["apply", "--auto-approve"]).0, 0);
    assert_eq!(run(dir, &["drift", "--json"]).0, 0);
    assert_eq!(std::fs::read_to_string(dir.join("edited.txt")).unwrap(), "as written");
}
