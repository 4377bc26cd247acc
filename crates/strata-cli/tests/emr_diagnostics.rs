//! The emr provider's plan-time refusals (`testdata/emr/diagnostics/main.hcl`: an unknown
//! release, a master count that cannot form a ZooKeeper quorum, no MASTER group, a service the
//! release lacks, a negative count) come back all at once, each pointing at the line that
//! causes it: the engine maps the attribute path a provider names to its span. Snapshot; with
//! `--json`, the same as validate's JSON document on stdout.

use std::path::Path;

mod support;
use support::{plugin, run_in, snapshot_in};

#[test]
fn provider_refusals_point_at_their_lines() {
    plugin("emr");
    let work = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/emr/diagnostics/main.hcl");
    std::fs::copy(fixture, work.path().join("main.hcl")).unwrap();
    let text = snapshot_in(work.path(), &["plan"]);
    assert!(text.starts_with("exit: 1\n"), "{text}");
    insta::assert_snapshot!("emr_plan_refusals", text);

    // With --json the same refusals come as validate's JSON document on stdout.
    let (code, stdout, _) = run_in(work.path(), &["plan", "--json"]);
    assert_eq!(code, 1);
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(document["error_count"], 5);
    let lines: Vec<u64> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [6, 22, 30, 40, 60]);
}
