//! `strata plan --json` on an invalid configuration still prints a JSON document on stdout (the
//! `validate --json` shape), so a CI job that parses plan output gets the diagnostics as data.

use std::process::Command;

#[test]
fn an_invalid_configuration_gives_json_diagnostics_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.hcl"), "resource \"strata_data\" \"a\" {\n  input = var.nope\n}\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["plan", "--json", "--detailed-exitcode"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(document["valid"], false);
    assert_eq!(document["error_count"], 1);
    let diagnostic = &document["diagnostics"][0];
    assert_eq!(diagnostic["summary"], "Reference to undeclared input variable");
    assert_eq!(diagnostic["range"]["filename"], "main.hcl");
    assert_eq!(diagnostic["range"]["start"]["line"], 2);
    // Humans still get the rendered diagnostic on stderr.
    assert!(String::from_utf8_lossy(&output.stderr).contains("undeclared input variable"));
}
