//! Renames and adoption: `moved` and `import` blocks, `strata import`, `strata state mv|rm`,
//! `strata refresh`. Each step checks the state and that nothing is destroyed or duplicated.

use std::path::Path;
use std::process::{Command, Output};

fn strata(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = strata(dir, args);
    assert!(output.status.success(), "strata {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(dir: &Path, text: &str) {
    std::fs::write(dir.join("main.hcl"), text.replace("DIR", &dir.display().to_string())).unwrap();
}

#[test]
fn moved_block_renames_without_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "resource \"strata_file\" \"old\" {\n  path    = \"DIR/f.txt\"\n  content = \"x\"\n}\n");
    ok(d, &["apply", "--auto-approve"]);
    let id_before = ok(d, &["state", "show", "strata_file.old"]);
    write(
        d,
        "resource \"strata_file\" \"new\" {\n  path    = \"DIR/f.txt\"\n  content = \"x\"\n}\n\nmoved {\n  from = strata_file.old\n  to   = strata_file.new\n}\n",
    );
    let plan = ok(d, &["plan"]);
    assert!(plan.contains("strata_file.old has moved to strata_file.new"), "{plan}");
    assert!(plan.contains("0 to add, 0 to change, 0 to destroy"), "{plan}");
    ok(d, &["apply", "--auto-approve"]);
    assert_eq!(ok(d, &["state", "list"]), "strata_file.new\n");
    let id_after = ok(d, &["state", "show", "strata_file.new"]);
    assert_eq!(id_before.replace("strata_file.old", "strata_file.new"), id_after);
    assert!(d.join("f.txt").exists());
    assert_eq!(strata(d, &["plan", "--detailed-exitcode"]).status.code(), Some(0));
}

#[test]
fn import_block_and_command_adopt_existing_objects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "hello\n").unwrap();
    std::fs::write(d.join("b.txt"), "world\n").unwrap();
    write(
        d,
        "resource \"strata_file\" \"a\" {\n  path    = \"DIR/a.txt\"\n  content = \"hello\\n\"\n}\n\nresource \"strata_file\" \"b\" {\n  path    = \"DIR/b.txt\"\n  content = \"world\\n\"\n}\n\nimport {\n  to = strata_file.a\n  id = \"DIR/a.txt\"\n}\n",
    );
    // b is imported by hand; a by the import block during apply.
    let b = d.join("b.txt").display().to_string();
    ok(d, &["import", "strata_file.b", &b]);
    let plan = ok(d, &["plan"]);
    assert!(plan.contains("strata_file.a will be imported"), "{plan}");
    assert!(plan.contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."), "{plan}");
    ok(d, &["apply", "--auto-approve"]);
    assert_eq!(ok(d, &["state", "list"]), "strata_file.a\nstrata_file.b\n");
    assert_eq!(strata(d, &["plan", "--detailed-exitcode"]).status.code(), Some(0));
    // Importing over a managed address, or a missing object, is refused.
    assert_eq!(strata(d, &["import", "strata_file.b", &b]).status.code(), Some(1));
    let missing = d.join("missing.txt").display().to_string();
    assert_eq!(strata(d, &["import", "strata_file.c", &missing]).status.code(), Some(1));
}

#[test]
fn state_mv_rm_and_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "resource \"strata_file\" \"f\" {\n  path    = \"DIR/f.txt\"\n  content = \"v1\"\n}\n");
    ok(d, &["apply", "--auto-approve"]);
    // Drift, recorded by refresh: the state follows the disk, and plan then wants to undo it.
    std::fs::write(d.join("f.txt"), "edited").unwrap();
    ok(d, &["refresh", "--auto-approve"]);
    assert!(ok(d, &["state", "show", "strata_file.f"]).contains("\"edited\""));
    assert_eq!(strata(d, &["plan", "--detailed-exitcode", "--refresh-only"]).status.code(), Some(0));
    assert_eq!(strata(d, &["plan", "--detailed-exitcode"]).status.code(), Some(2));
    // mv then rm: the object stays on disk; only the record changes.
    ok(d, &["state", "mv", "strata_file.f", "strata_file.g"]);
    assert_eq!(ok(d, &["state", "list"]), "strata_file.g\n");
    ok(d, &["state", "rm", "strata_file.g"]);
    assert_eq!(ok(d, &["state", "list"]), "");
    assert!(d.join("f.txt").exists());
    assert_eq!(strata(d, &["state", "rm", "strata_file.g"]).status.code(), Some(1));
}
