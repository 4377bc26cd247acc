//! `strata state mv|rm` with module addresses over `testdata/engine/state-module-moves/`:
//! `module.app` → `module.app[0]` (before adding `count`), a module instance to another call's
//! `for_each` key, `module.web[1]` → `module.web[5]`, removing a module instance; each moves
//! every object inside it, nested modules included, and plans afterwards find them. Refusals
//! (the target has objects, nothing matches, mixed kinds) are snapshots.

use std::path::Path;

mod support;
use support::{expect_in, fixture_workspace, snapshot_in, state_list};

/// Plans with the configuration in `main.hcl` and expects no change at all.
fn no_changes(dir: &Path, main: &str) {
    std::fs::write(dir.join("main.hcl"), main).unwrap();
    let (plan, _) = expect_in(dir, &["plan"], 0);
    assert!(plan.contains("No changes."), "{main}\n{plan}");
}

const WEB: &str = r#"
module "web" {
  source = "./modules/app"
  count  = 2
  name   = "web-${count.index}"
}
"#;

fn check(name: &str, dir: &Path, args: &[&str]) {
    insta::assert_snapshot!(name, snapshot_in(dir, args));
}

#[test]
fn module_instances_move_and_are_removed_whole() {
    let work = fixture_workspace("engine/state-module-moves");
    let dir = work.path();
    let app = "module \"app\" {\n  source = \"./modules/app\"\n  name   = \"app\"\n}\n";
    std::fs::write(dir.join("main.hcl"), format!("{app}{WEB}")).unwrap();
    expect_in(dir, &["apply", "--auto-approve"], 0);

    // Before adding count to module.app: its objects become module.app[0]'s.
    let (stdout, _) = expect_in(dir, &["state", "mv", "module.app", "module.app[0]"], 0);
    assert_eq!(stdout, "");
    assert_eq!(&state_list(dir)[..2], ["module.app[0].strata_data.d", "module.app[0].module.inner.strata_file.f"]);
    no_changes(dir, &format!("{}{WEB}", app.replace("name   = \"app\"", "count  = 1\n  name   = \"app\"")));

    // A module instance to an instance of another call.
    expect_in(dir, &["state", "mv", "module.app[0]", r#"module.b["x"]"#], 0);
    let b =
        "module \"b\" {\n  source   = \"./modules/app\"\n  for_each = { x = \"app\" }\n  name     = each.value\n}\n";
    no_changes(dir, &format!("{b}{WEB}"));

    // One instance of a repeated module to another key: everything inside, nested too.
    expect_in(dir, &["state", "mv", "module.web[1]", "module.web[5]"], 0);
    assert_eq!(
        state_list(dir),
        [
            r#"module.b["x"].strata_data.d"#,
            r#"module.b["x"].module.inner.strata_file.f"#,
            "module.web[0].strata_data.d",
            "module.web[0].module.inner.strata_file.f",
            "module.web[5].strata_data.d",
            "module.web[5].module.inner.strata_file.f",
        ]
    );
    expect_in(dir, &["state", "mv", "module.web[5]", "module.web[1]"], 0);
    no_changes(dir, &format!("{b}{WEB}"));

    // Refused: the target has objects; nothing matches (module.web has only keyed
    // instances); a module to a resource; not an address. The state is unchanged.
    check("mv_target_exists", dir, &["state", "mv", "module.web[0]", "module.web[1]"]);
    check("mv_nothing_matches", dir, &["state", "mv", "module.web", "module.other"]);
    check("mv_kind_mismatch", dir, &["state", "mv", "module.web[0]", "strata_data.d"]);
    check("rm_nothing_matches", dir, &["state", "rm", "module.web[7]"]);
    check("mv_invalid_address", dir, &["state", "mv", "web[0]", "module.web[2]"]);
    assert_eq!(state_list(dir).len(), 6);

    // Removing a module instance forgets everything inside it; the objects stay.
    expect_in(dir, &["state", "rm", r#"module.b["x"]"#], 0);
    assert!(state_list(dir).iter().all(|a| a.starts_with("module.web")));
    assert_eq!(std::fs::read_to_string(dir.join("app.txt")).unwrap(), "app");
    // A module without a key: every instance of it.
    expect_in(dir, &["state", "rm", "module.web"], 0);
    assert!(state_list(dir).is_empty());
    assert!(dir.join("web-1.txt").exists());
}

/// A resource address without a key names every instance of a resource with count, as in
/// Terraform: `state mv` keeps their keys, `state rm` forgets them all.
#[test]
fn a_resource_address_names_all_its_instances() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let main = "resource \"strata_data\" \"c\" {\n  count = 2\n  input = count.index\n}\n";
    std::fs::write(dir.join("main.hcl"), main).unwrap();
    expect_in(dir, &["apply", "--auto-approve"], 0);
    expect_in(dir, &["state", "mv", "strata_data.c", "module.m.strata_data.d"], 0);
    assert_eq!(state_list(dir), ["module.m.strata_data.d[0]", "module.m.strata_data.d[1]"]);
    // One instance to a keyed address of another resource; a resource to one instance is not.
    expect_in(dir, &["state", "mv", "module.m.strata_data.d[1]", "strata_data.c[1]"], 0);
    assert_eq!(state_list(dir), ["strata_data.c[1]", "module.m.strata_data.d[0]"]);
    expect_in(dir, &["state", "mv", "strata_data.c", "module.m.strata_data.d[3]"], 1);
    expect_in(dir, &["state", "rm", "module.m.strata_data.d"], 0);
    assert_eq!(state_list(dir), ["strata_data.c[1]"]);
}
