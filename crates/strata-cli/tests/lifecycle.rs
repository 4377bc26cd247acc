//! Lifecycle settings end to end: `ignore_changes`, `replace_triggered_by`,
//! `create_before_destroy` (order of create and delete), and `prevent_destroy` driven by a
//! variable (which Terraform cannot do).

use std::path::Path;
use std::process::{Command, Output};

fn strata(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let output = strata(dir, args);
    let (out, err) =
        (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned());
    assert!(output.status.success(), "strata {args:?} failed:\n{err}");
    (out, err)
}

fn write(dir: &Path, text: &str) {
    std::fs::write(dir.join("main.hcl"), text).unwrap();
}

const BASE: &str = r#"
variable "content" { default = "v1" }
variable "trigger" { default = "t1" }
variable "protect" { default = false }

resource "strata_data" "trigger" {
  input = var.trigger
}

resource "strata_file" "ignored" {
  path    = "${path.module}/ignored.txt"
  content = var.content
  lifecycle {
    ignore_changes = [content]
  }
}

resource "strata_data" "replaced" {
  input = "fixed"
  lifecycle {
    replace_triggered_by = [strata_data.trigger]
  }
}

resource "strata_data" "cbd" {
  input            = "x"
  triggers_replace = [var.trigger]
  lifecycle {
    create_before_destroy = true
  }
}

resource "strata_data" "guarded" {
  input = "keep me"
  lifecycle {
    prevent_destroy = var.protect
  }
}
"#;

#[test]
fn lifecycle_settings_work_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, BASE);
    ok(d, &["apply", "--auto-approve"]);

    // ignore_changes: a new content value is not applied.
    let (plan, _) = ok(d, &["plan", "--var", "content=v2"]);
    assert!(plan.contains("No changes"), "{plan}");

    // replace_triggered_by and create_before_destroy: changing the trigger replaces
    // `replaced` (delete then create) and `cbd` (create, then delete the old one).
    let (plan, _) = ok(d, &["plan", "--var", "trigger=t2"]);
    assert!(plan.contains("strata_data.replaced will be replaced due to changes in strata_data.trigger"), "{plan}");
    assert!(plan.contains("-/+ resource \"strata_data\" \"replaced\""), "{plan}");
    assert!(plan.contains("+/- resource \"strata_data\" \"cbd\""), "{plan}");
    let (_, progress) = ok(d, &["apply", "--auto-approve", "--var", "trigger=t2", "--parallelism", "1"]);
    let cbd: Vec<&str> =
        progress.lines().filter(|l| l.starts_with("strata_data.cbd:") && l.contains("complete")).collect();
    assert_eq!(cbd.len(), 2, "{progress}");
    let position = |needle: &str| progress.find(needle).unwrap_or(usize::MAX);
    assert!(
        position("strata_data.cbd: Creation complete") < position("strata_data.cbd: Destruction complete"),
        "{progress}"
    );
    assert!(
        position("strata_data.replaced: Destruction complete") < position("strata_data.replaced: Creation complete"),
        "{progress}"
    );

    // prevent_destroy from a variable: destroy is refused while it is true.
    let refused = strata(d, &["destroy", "--auto-approve", "--var", "protect=true", "--var", "trigger=t2"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr.contains("Instance cannot be destroyed") && stderr.contains("strata_data.guarded"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&strata(d, &["state", "list"]).stdout).lines().count(), 5);
    ok(d, &["destroy", "--auto-approve", "--var", "trigger=t2"]);
    assert_eq!(String::from_utf8_lossy(&strata(d, &["state", "list"]).stdout), "");
}
