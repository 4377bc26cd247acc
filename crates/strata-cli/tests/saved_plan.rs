//! Saved plans: `plan --out FILE` then `apply FILE` applies exactly that plan, and is refused
//! when the state, the configuration or a variable changed since. Secrets never reach the file.

use std::path::Path;
use std::process::{Command, Output};

const CONFIG: &str = r#"
variable "size" {
  default = 2
}

variable "password" {
  default   = "hunter2-secret"
  sensitive = true
}

resource "strata_data" "items" {
  count = var.size
  input = "item-${count.index}"
}

resource "strata_data" "login" {
  input = { user = "admin", password = var.password }
}
"#;

fn strata(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn saved_plan_applies_once_and_only_to_what_it_was_made_from() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.hcl"), CONFIG).unwrap();

    assert!(strata(dir.path(), &["plan", "--out", "p.plan"]).status.success());
    let file = std::fs::read_to_string(dir.path().join("p.plan")).unwrap();
    assert!(!file.contains("hunter2-secret"), "the plan file must not hold a sensitive value");
    let shown = strata(dir.path(), &["show", "p.plan", "--json"]);
    assert!(shown.status.success());
    assert!(!String::from_utf8_lossy(&shown.stdout).contains("hunter2-secret"));

    let applied = strata(dir.path(), &["apply", "p.plan"]);
    assert!(applied.status.success(), "{}", stderr(&applied));
    let listed = strata(dir.path(), &["state", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "strata_data.items[0]\nstrata_data.items[1]\nstrata_data.login\n"
    );
    assert!(!std::fs::read_to_string(dir.path().join("strata.state.json")).unwrap().is_empty());

    // The state moved on: the same plan is stale now.
    let again = strata(dir.path(), &["apply", "p.plan"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("is stale"), "{}", stderr(&again));

    // A new plan, then a change to a variable: refused.
    assert!(strata(dir.path(), &["plan", "--out", "q.plan", "--var", "size=3"]).status.success());
    let changed_var = strata(dir.path(), &["apply", "q.plan", "--var", "size=4"]);
    assert_eq!(changed_var.status.code(), Some(1));
    assert!(stderr(&changed_var).contains("variable \"size\""), "{}", stderr(&changed_var));

    // ...and a change to the configuration: refused.
    std::fs::write(dir.path().join("extra.hcl"), "locals { unused = 1 }\n").unwrap();
    let changed_config = strata(dir.path(), &["apply", "q.plan", "--var", "size=3"]);
    assert_eq!(changed_config.status.code(), Some(1));
    assert!(stderr(&changed_config).contains("configuration changed"), "{}", stderr(&changed_config));
    std::fs::remove_file(dir.path().join("extra.hcl")).unwrap();

    // Unchanged: it applies, and adds the third item.
    let ok = strata(dir.path(), &["apply", "q.plan", "--var", "size=3"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let listed = strata(dir.path(), &["state", "list"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("strata_data.items[2]"));
}
