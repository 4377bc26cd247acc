//! Module calls with `count` and `for_each` over `testdata/engine/module-repetition/`:
//! `module.web` (count) scaled 2 → 3 → 1, a key of `module.db` (for_each, calling an
//! unrepeated and a repeated module in each instance) removed, outputs of repeated modules,
//! targets naming module instances, and an unknown count
//! (`testdata/engine/module-repetition-unknown*/`). Plans are snapshots with ids redacted.

use std::path::Path;

mod support;
use support::{copy_dir, expect_in, snapshot_in, state_list};

/// The fixtures copied into a fresh directory (as siblings, as in `testdata/engine`).
fn workspace() -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let fixtures = [
        "module-repetition",
        "module-repetition-unknown",
        "module-repetition-unknown-root",
        "module-providers",
        "module-moved",
    ];
    for fixture in fixtures {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine").join(fixture);
        copy_dir(&source, &work.path().join(fixture));
    }
    work
}

/// `strata ARGS` as snapshot text, ids (uuids) redacted.
fn check(name: &str, dir: &Path, args: &[&str]) {
    let text = snapshot_in(dir, args);
    insta::with_settings!({ filters => vec![(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[ID]")] }, {
        insta::assert_snapshot!(name, text);
    });
}

const FIRST_APPLY: [&str; 8] = [
    r#"module.db["eu"].module.inner.strata_file.f"#,
    r#"module.db["eu"].module.shard[0].strata_data.s"#,
    r#"module.db["eu"].module.shard[1].strata_data.s"#,
    r#"module.db["us"].module.inner.strata_file.f"#,
    r#"module.db["us"].module.shard[0].strata_data.s"#,
    r#"module.db["us"].module.shard[1].strata_data.s"#,
    "module.web[0].strata_data.x",
    "module.web[1].strata_data.x",
];

#[test]
fn repeated_modules_apply_scale_and_lose_keys() {
    let work = workspace();
    let dir = &work.path().join("module-repetition");
    check("first_plan", dir, &["plan"]);
    expect_in(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(state_list(dir), FIRST_APPLY);
    assert_eq!(std::fs::read_to_string(dir.join("db-eu.txt")).unwrap(), "eu-west\n");
    assert_eq!(std::fs::read_to_string(dir.join("db-us.txt")).unwrap(), "us-east\n");
    check("outputs", dir, &["output"]);
    // Nothing changes on a second plan: every instance is found at its keyed address.
    let (plan, _) = expect_in(dir, &["plan"], 0);
    assert!(plan.contains("No changes."), "{plan}");

    // count 2 → 3: exactly module.web[2] is added.
    check("scale_up_plan", dir, &["plan", "--var", "web_count=3"]);
    expect_in(dir, &["apply", "--auto-approve", "--var", "web_count=3"], 0);
    assert!(state_list(dir).contains(&"module.web[2].strata_data.x".to_owned()));

    // count 3 → 1: exactly module.web[1] and module.web[2] are destroyed.
    check("scale_down_plan", dir, &["plan", "--var", "web_count=1"]);
    expect_in(dir, &["apply", "--auto-approve", "--var", "web_count=1"], 0);
    let web: Vec<String> = state_list(dir).into_iter().filter(|a| a.starts_with("module.web")).collect();
    assert_eq!(web, ["module.web[0].strata_data.x"]);

    // A for_each key removed: everything of module.db["us"], nested modules included, goes.
    std::fs::write(dir.join("eu-only.hclvars"), "web_count = 1\nregions = { eu = \"eu-west\" }\n").unwrap();
    check("key_removed_plan", dir, &["plan", "--var-file", "eu-only.hclvars"]);
    expect_in(dir, &["apply", "--auto-approve", "--var-file", "eu-only.hclvars"], 0);
    assert_eq!(
        state_list(dir),
        [
            r#"module.db["eu"].module.inner.strata_file.f"#,
            r#"module.db["eu"].module.shard[0].strata_data.s"#,
            r#"module.db["eu"].module.shard[1].strata_data.s"#,
            "module.web[0].strata_data.x",
        ]
    );
    assert!(!dir.join("db-us.txt").exists());
    check("outputs_after", dir, &["output"]);

    expect_in(dir, &["destroy", "--auto-approve", "--var-file", "eu-only.hclvars"], 0);
    assert!(state_list(dir).is_empty());
}

/// `depends_on = [module.web]` on the repeated `module.db`: every db object is created after
/// every web object, and destroyed before them.
#[test]
fn depends_on_orders_repeated_modules() {
    let work = workspace();
    let dir = &work.path().join("module-repetition");
    // Progress lines, in the order they were printed.
    let progress = |(stdout, stderr): (String, String)| -> Vec<String> {
        (stdout + &stderr).lines().filter(|l| l.contains(": ") && l.ends_with("...")).map(str::to_owned).collect()
    };
    let lines = progress(expect_in(dir, &["apply", "--auto-approve", "--parallelism", "1"], 0));
    let first_db = lines.iter().position(|l| l.starts_with("module.db[")).unwrap();
    let last_web = lines.iter().rposition(|l| l.starts_with("module.web[")).unwrap();
    assert!(last_web < first_db, "{lines:#?}");
    let lines = progress(expect_in(dir, &["destroy", "--auto-approve", "--parallelism", "1"], 0));
    let last_db = lines.iter().rposition(|l| l.starts_with("module.db[")).unwrap();
    let first_web = lines.iter().position(|l| l.starts_with("module.web[")).unwrap();
    assert!(last_db < first_web, "{lines:#?}");
}

/// `--target` naming a module instance, a module, or a resource in a module instance.
#[test]
fn targets_name_module_instances() {
    let work = workspace();
    let dir = &work.path().join("module-repetition");
    expect_in(dir, &["apply", "--auto-approve"], 0);
    let cases: [(&[&str], &str); 4] = [
        (&["--target", "module.web[2]"], "module.web[2].strata_data.x will be created"),
        (&["--target", "module.web"], "module.web[2].strata_data.x will be created"),
        (&["--target", "module.web[2].strata_data.x"], "module.web[2].strata_data.x will be created"),
        (&["--target", "module.web[0]"], "Plan: 0 to add, 0 to change, 0 to destroy."),
    ];
    for (target, expected) in cases {
        let mut args = vec!["plan", "--var", "web_count=3"];
        args.extend(target);
        let (plan, _) = expect_in(dir, &args, 0);
        assert!(plan.contains(expected), "{target:?}: {plan}");
        assert!(!plan.contains("module.db"), "{target:?}: {plan}");
    }
    // A module instance of module.db changes only that instance's objects.
    let (plan, _) = expect_in(
        dir,
        &["plan", "--var", "regions={ eu = \"eu-central\", us = \"us-west\" }", "--target", r#"module.db["eu"]"#],
        0,
    );
    assert!(plan.contains(r#"# module.db["eu"].module.inner.strata_file.f will be updated in-place"#), "{plan}");
    assert!(!plan.contains(r#"module.db["us"]"#), "{plan}");
}

#[test]
fn an_unknown_module_count_is_a_diagnostic() {
    let work = workspace();
    // Found by planning, in a module instance (validation cannot know the variable's value).
    check("unknown_count", &work.path().join("module-repetition-unknown"), &["plan"]);
    // Found by validation already, in the root module.
    check("unknown_count_root", &work.path().join("module-repetition-unknown-root"), &["plan"]);
}

/// `providers = { strata = strata.other }` over `testdata/engine/module-providers/`: the
/// objects of the mapped calls (every instance of a repeated one, and a call two levels down
/// that inherits the mapping) are made and recorded by `provider.strata.other`.
#[test]
fn provider_configurations_pass_to_modules() {
    let work = workspace();
    let dir = &work.path().join("module-providers");
    expect_in(dir, &["apply", "--auto-approve"], 0);
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("strata.state.json")).unwrap()).unwrap();
    let providers: Vec<(String, String)> = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["address"].as_str().unwrap().to_owned(), r["provider"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [
        ("module.mapped[0].strata_data.d", "provider.strata.other"),
        ("module.mapped[1].strata_data.d", "provider.strata.other"),
        ("module.nested.module.inner.strata_data.d", "provider.strata.other"),
        ("module.plain.strata_data.d", "provider.strata"),
    ];
    assert_eq!(providers, expected.map(|(a, p)| (a.to_owned(), p.to_owned())));
    expect_in(dir, &["plan", "--detailed-exitcode"], 0);
    expect_in(dir, &["destroy", "--auto-approve"], 0);
}

/// `moved { from = module.web, to = module.web[0] }` over `testdata/engine/module-moved/`:
/// adding count to a call keeps its object (now `module.web[0]`) instead of replacing it.
#[test]
fn a_module_moves_to_its_first_instance() {
    let work = workspace();
    let fixture = work.path().join("module-moved");
    let dir = &fixture.join("work");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(fixture.join("before/main.hcl"), dir.join("main.hcl")).unwrap();
    expect_in(dir, &["apply", "--auto-approve"], 0);
    let (show, _) = expect_in(dir, &["state", "show", "module.web.strata_data.x"], 0);
    let id = show.lines().find(|l| l.trim_start().starts_with("id")).unwrap().to_owned();

    std::fs::copy(fixture.join("after/main.hcl"), dir.join("main.hcl")).unwrap();
    check("module_moved_plan", dir, &["plan"]);
    expect_in(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(state_list(dir), ["module.web[0].strata_data.x", "module.web[1].strata_data.x"]);
    let (show, _) = expect_in(dir, &["state", "show", "module.web[0].strata_data.x"], 0);
    assert!(show.contains(&id), "the same object: {id}\n{show}");
    let (plan, _) = expect_in(dir, &["plan"], 0);
    assert!(plan.contains("No changes."), "{plan}");
}
