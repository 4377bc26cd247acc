//! The emr provider's plan-time refusals (`testdata/emr/diagnostics/main.hcl`: an unknown
//! release, a master count that cannot form a ZooKeeper quorum, no MASTER group, a service the
//! release lacks, a negative count) come back all at once, each pointing at the line that
//! causes it: the engine maps the attribute path a provider names to its span. Snapshot.

use std::path::Path;

mod support;
use support::{plugin, snapshot_in};

#[test]
fn provider_refusals_point_at_their_lines() {
    plugin("emr");
    let work = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/emr/diagnostics/main.hcl");
    std::fs::copy(fixture, work.path().join("main.hcl")).unwrap();
    let text = snapshot_in(work.path(), &["plan"]);
    assert!(text.starts_with("exit: 1\n"), "{text}");
    insta::assert_snapshot!("emr_plan_refusals", text);
}
