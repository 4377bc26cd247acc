//! `timeouts` blocks through the real binary: accepted on every resource type (no provider
//! schema declares them), never sent to or shown as part of a resource, and reported with
//! their location and a hint when written wrong. How the engine enforces them is tested with
//! a slow in-process provider in `untrusted_providers.rs`.

use std::path::Path;
use std::process::{Command, Output};

fn strata(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn texts(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn timeouts_are_accepted_and_kept_out_of_resources() {
    let dir = tempfile::tempdir().unwrap();
    let source = r#"
resource "strata_data" "a" {
  input = "x"
  timeouts {
    create = "20m"
    update = "5m"
    delete = "10m"
    read   = "1m"
  }
}

resource "strata_file" "f" {
  path    = "${path.module}/f.txt"
  content = strata_data.a.output
  timeouts {
    create = "30s"
  }
}
"#;
    std::fs::write(dir.path().join("main.hcl"), source).unwrap();
    let applied = strata(dir.path(), &["apply", "--auto-approve"]);
    let (plan, stderr) = texts(&applied);
    assert!(applied.status.success(), "{stderr}");
    assert!(!plan.contains("timeouts") && !plan.contains("20m"), "not part of the resource: {plan}");
    assert_eq!(std::fs::read_to_string(dir.path().join("f.txt")).unwrap(), "x");
    let (listed, _) = texts(&strata(dir.path(), &["state", "list"]));
    assert_eq!(listed, "strata_data.a\nstrata_file.f\n");

    // Changing only a timeout changes nothing.
    std::fs::write(dir.path().join("main.hcl"), source.replace("\"20m\"", "\"45m\"")).unwrap();
    let planned = strata(dir.path(), &["plan"]);
    let (plan, stderr) = texts(&planned);
    assert!(planned.status.success(), "{stderr}");
    assert!(plan.contains("No changes"), "{plan}");
}

#[test]
fn invalid_timeouts_are_reported_where_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let source = r#"resource "strata_data" "a" {
  input = "x"
  timeouts {
    create = "5 minutes"
    creat  = "1m"
    delete = 30
  }
  timeouts {
  }
}
"#;
    std::fs::write(dir.path().join("main.hcl"), source).unwrap();
    let validated = strata(dir.path(), &["validate"]);
    let (_, stderr) = texts(&validated);
    assert_eq!(validated.status.code(), Some(1), "{stderr}");
    for expected in [
        "× Invalid timeout duration",
        "at main.hcl:4:14",
        "\"5 minutes\" is not a duration.",
        "hint: write a whole number and a unit (ms, s, m or h), such as \"30s\", \"5m\" or \"1h30m\"",
        "× Unsupported argument",
        "at main.hcl:5:5",
        "hint: did you mean `create`?",
        "× Incorrect value type",
        "at main.hcl:6:14",
        "hint: write it as a quoted duration: delete = \"30s\"",
        "× Duplicate timeouts block",
        "at main.hcl:8:3",
        "hint: put every timeout into the first timeouts block",
        "4 error(s)",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}
