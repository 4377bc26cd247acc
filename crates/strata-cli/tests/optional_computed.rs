//! An optional+computed argument the configuration leaves unset, over
//! `testdata/engine/optional-computed/` with the test provider's `test_zoned`: it reaches the
//! provider's plan as null (Terraform's semantics), so the provider's choice on create is kept
//! afterwards instead of being planned "(known after apply)" on every plan. Its computed-only
//! `id` reaches the plan as null too (`test_zoned` refuses to plan anything else).

use std::path::Path;

mod support;
use support::{expect_in, plugin, snapshot_in};

fn zone(dir: &Path) -> String {
    let (show, _) = expect_in(dir, &["state", "show", "test_zoned.z"], 0);
    show.lines().find_map(|l| l.trim().strip_prefix("zone = ")).unwrap_or("(none)").to_owned()
}

#[test]
fn an_unset_optional_computed_argument_is_the_providers_to_choose() {
    plugin("test");
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/optional-computed/main.hcl");
    std::fs::copy(fixture, dir.join("main.hcl")).unwrap();

    insta::assert_snapshot!("create_plan", snapshot_in(dir, &["plan"]));
    expect_in(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(zone(dir), "\"zone-a\"");
    // Unset still: nothing to do (the provider keeps its zone; an unknown would plan a change).
    let (plan, _) = expect_in(dir, &["plan", "--detailed-exitcode"], 0);
    assert!(plan.contains("No changes."), "{plan}");
    // Another argument changes in place; the zone stays what the provider chose.
    let (plan, _) = expect_in(dir, &["plan", "--var", "name=two"], 0);
    assert!(!plan.contains("zone ="), "{plan}");
    expect_in(dir, &["apply", "--auto-approve", "--var", "name=two"], 0);
    assert_eq!(zone(dir), "\"zone-a\"");
    // Set in the configuration: it changes.
    let (plan, _) = expect_in(dir, &["plan", "--var", "name=two", "--var", "zone=zone-b"], 0);
    assert!(plan.contains(r#"~ zone = "zone-a" -> "zone-b""#), "{plan}");
    expect_in(dir, &["apply", "--auto-approve", "--var", "name=two", "--var", "zone=zone-b"], 0);
    assert_eq!(zone(dir), "\"zone-b\"");
}
