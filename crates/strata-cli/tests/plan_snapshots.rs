//! Plan rendering: every directory under `testdata/plan/` is a configuration; its first plan
//! (no state) is snapshotted in the human form and as JSON. Ids and paths are redacted.

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::copy_dir;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/plan");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

fn plan(dir: &Path, json: bool) -> String {
    // Work on a copy so no state or lock file lands in testdata.
    let work = tempfile::tempdir().unwrap();
    copy_dir(dir, work.path());
    let mut args = vec!["plan"];
    if json {
        args.push("--json");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_strata"))
        .current_dir(work.path())
        .args(&args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    text.replace(&work.path().display().to_string(), "[DIR]")
}

#[test]
fn plans_render_as_expected() {
    let cases = cases();
    assert!(cases.len() >= 3);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut settings = insta::Settings::clone_current();
        settings.add_filter(r#""lineage": "[0-9a-f-]{36}""#, r#""lineage": "[LINEAGE]""#);
        settings.bind(|| {
            insta::assert_snapshot!(format!("plan_{name}"), plan(&case, false));
            insta::assert_snapshot!(format!("plan_json_{name}"), plan(&case, true));
        });
    }
}
