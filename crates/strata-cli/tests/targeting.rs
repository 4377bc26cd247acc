//! `--target` with an instance key over `testdata/engine/targeting/main.hcl`: only the named
//! instance changes (plan, apply, destroy); naming the resource whole changes all of it.
//! `--exclude` over `testdata/engine/exclude/` naming a resource instance, a module, a module
//! instance or a resource in one: those and what depends on them stay (plans are snapshots).

use std::path::Path;

mod support;
use support::{expect_in, fixture_workspace, snapshot_in};

fn content(dir: &Path, index: usize) -> String {
    std::fs::read_to_string(dir.join(format!("f-{index}.txt"))).unwrap_or_else(|_| "(none)".into())
}

#[test]
fn an_instance_target_changes_only_that_instance() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/targeting/main.hcl");
    std::fs::copy(fixture, dir.join("main.hcl")).unwrap();
    expect_in(dir, &["apply", "--auto-approve"], 0);

    let (plan, _) = expect_in(dir, &["plan", "--var", "content=v2", "--target", "strata_file.f[1]"], 0);
    assert!(plan.contains("# strata_file.f[1] will be updated in-place"), "{plan}");
    assert!(!plan.contains("strata_file.f[0]") && !plan.contains("strata_file.f[2]"), "{plan}");
    assert!(plan.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "{plan}");

    expect_in(dir, &["apply", "--auto-approve", "--var", "content=v2", "--target", "strata_file.f[1]"], 0);
    assert_eq!([content(dir, 0), content(dir, 1), content(dir, 2)], ["v1 0", "v2 1", "v1 2"]);

    // Naming the resource whole as well: every instance.
    let (plan, _) = expect_in(
        dir,
        &["plan", "--var", "content=v2", "--target", "strata_file.f[1]", "--target", "strata_file.f"],
        0,
    );
    assert!(plan.contains("Plan: 0 to add, 2 to change, 0 to destroy."), "{plan}");

    expect_in(dir, &["destroy", "--auto-approve", "--target", "strata_file.f[2]"], 0);
    assert_eq!(content(dir, 2), "(none)");
    assert_eq!(content(dir, 0), "v1 0");
    let (list, _) = expect_in(dir, &["state", "list"], 0);
    assert_eq!(list, "strata_file.f[0]\nstrata_file.f[1]\n");
}

/// `strata ARGS` as snapshot text, ids (uuids) redacted.
fn check(name: &str, dir: &Path, args: &[&str]) {
    let text = snapshot_in(dir, args);
    insta::with_settings!({ filters => vec![(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[ID]")] }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn excludes_name_instances_modules_and_module_instances() {
    let work = fixture_workspace("engine/exclude");
    let dir = work.path();
    expect_in(dir, &["apply", "--auto-approve"], 0);

    // One instance of strata_data.f: f[0] and f[2] change; g (which depends on f) stays.
    check("exclude_resource_instance", dir, &["plan", "--var", "content=v2", "--exclude", "strata_data.f[1]"]);
    // A module instance: module.web[1] (its nested module too) and names (which reads every
    // instance of module.web) stay; module.web[0] changes.
    check("exclude_module_instance", dir, &["plan", "--var", "content=v2", "--exclude", "module.web[1]"]);
    // A resource in a module instance: what depends on it there stays too, not module.web[0].
    check(
        "exclude_resource_in_module_instance",
        dir,
        &["plan", "--var", "content=v2", "--exclude", "module.web[1].strata_data.x"],
    );
    // A module: all its instances.
    check("exclude_module", dir, &["plan", "--var", "content=v2", "--exclude", "module.web"]);
    // Not an address.
    check("exclude_invalid", dir, &["plan", "--exclude", "web[1]"]);

    // Applied: module.web[1] keeps its v1 objects, and a plan without --exclude changes them.
    expect_in(dir, &["apply", "--auto-approve", "--var", "content=v2", "--exclude", "module.web[1]"], 0);
    let (plan, _) = expect_in(dir, &["plan", "--var", "content=v2"], 0);
    assert!(plan.contains("# module.web[1].strata_data.x will be updated in-place"), "{plan}");
    assert!(plan.contains("# strata_data.names will be updated in-place"), "{plan}");
    assert!(!plan.contains("module.web[0]") && !plan.contains("strata_data.f"), "{plan}");
}
