//! `import` blocks and `strata import` naming resources in module instances, over
//! `testdata/engine/module-imports/`: existing files are adopted at
//! `module.web[N].strata_file.f` (nothing is created), and targets whose module, module
//! instance or resource instance the configuration does not have are diagnostics (snapshots).

use std::path::Path;

mod support;
use support::{expect_in, fixture_workspace, snapshot_in, state_list};

fn workspace() -> tempfile::TempDir {
    let work = fixture_workspace("engine/module-imports");
    for index in 0..2 {
        std::fs::write(work.path().join(format!("web-{index}.txt")), format!("web {index}\n")).unwrap();
    }
    work
}

fn check(name: &str, dir: &Path, args: &[&str]) {
    insta::assert_snapshot!(name, snapshot_in(dir, args));
}

#[test]
fn objects_are_imported_into_module_instances() {
    let work = workspace();
    let dir = work.path();
    let web1 = dir.join("web-1.txt").display().to_string();
    let (_, stderr) = expect_in(dir, &["import", "module.web[1].strata_file.f", &web1], 0);
    assert!(stderr.contains("module.web[1].strata_file.f: imported."), "{stderr}");
    expect_in(dir, &["import", r#"module.db["eu"].strata_data.d"#, "eu"], 0);

    let (plan, _) = expect_in(dir, &["plan"], 0);
    assert!(plan.contains("# module.web[0].strata_file.f will be imported"), "{plan}");
    // An imported strata_data has no input yet: the configuration's is set in place.
    assert!(plan.contains(r#"# module.db["eu"].strata_data.d will be updated in-place"#), "{plan}");
    assert!(plan.contains("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy."), "{plan}");
    expect_in(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(
        state_list(dir),
        [r#"module.db["eu"].strata_data.d"#, "module.web[0].strata_file.f", "module.web[1].strata_file.f"]
    );
    let (plan, _) = expect_in(dir, &["plan"], 0);
    assert!(plan.contains("No changes."), "{plan}");
}

#[test]
fn import_targets_outside_the_configuration_are_diagnostics() {
    let work = workspace();
    let dir = work.path();
    let web0 = dir.join("web-0.txt").display().to_string();
    // strata import: a module instance count does not make, a module not called, a key of
    // the wrong kind, a resource the module does not declare.
    check("cli_missing_module_instance", dir, &["import", "module.web[5].strata_file.f", &web0]);
    check("cli_missing_module", dir, &["import", "module.webb[0].strata_file.f", &web0]);
    check("cli_missing_for_each_key", dir, &["import", r#"module.db["us"].strata_data.d"#, "us"]);
    check("cli_missing_resource", dir, &["import", "module.web[0].strata_file.g", &web0]);
    assert!(!dir.join("strata.state.json").exists() || state_list(dir).is_empty());

    // import blocks: found by validation (no such call, a key where count wants a number) or
    // by planning (no such instance).
    let main = std::fs::read_to_string(dir.join("main.hcl")).unwrap();
    let with_block = |to: &str| {
        std::fs::write(dir.join("main.hcl"), format!("{main}\nimport {{\n  to = {to}\n  id = \"x\"\n}}\n")).unwrap();
    };
    with_block("module.nope[0].strata_file.f");
    check("block_missing_module", dir, &["plan"]);
    with_block("module.web.strata_file.f");
    check("block_missing_key", dir, &["plan"]);
    with_block("module.web[7].strata_file.f");
    check("block_missing_module_instance", dir, &["plan"]);
    with_block("module.web[0]");
    check("block_module_only", dir, &["plan"]);
}
