//! The PostgreSQL state backend through the CLI: apply, no-op plan, destroy, and two applies
//! started together against the same state, of which exactly one gets the lock.
//!
//! Needs a server: `.ci/test-all` starts one (`.ci/postgres.sh`) and exports `STRATA_TEST_PG`.
//! Without it these tests return at once (and say so in their output).

use std::path::Path;
use std::process::{Command, Output};

fn conn_str() -> Option<String> {
    std::env::var("STRATA_TEST_PG").ok().filter(|s| !s.is_empty())
}

fn config(dir: &Path, conn: &str, schema: &str, files: usize) {
    let text = format!(
        r#"strata {{
  backend "pg" {{
    conn_str = "{conn}"
    schema   = "{schema}"
  }}
}}

resource "strata_data" "seed" {{
  input = "seed"
}}

resource "strata_file" "f" {{
  count   = {files}
  path    = "${{path.module}}/files/f-${{count.index}}.txt"
  content = "file ${{count.index}} of ${{strata_data.seed.output}}"
}}
"#
    );
    std::fs::write(dir.join("main.hcl"), text).unwrap();
}

fn strata(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn schema() -> String {
    format!("strata_cli_{}", std::process::id())
}

#[test]
fn apply_plan_destroy_with_the_pg_backend() {
    let Some(conn) = conn_str() else { return };
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &conn, &format!("{}_a", schema()), 20);
    let applied = strata(dir.path(), &["apply", "--auto-approve"]);
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    assert!(!dir.path().join("strata.state.json").exists(), "state must go to PostgreSQL, not a local file");
    assert_eq!(strata(dir.path(), &["plan", "--detailed-exitcode"]).status.code(), Some(0));
    // The state commands read and edit the same PostgreSQL state.
    let listed = strata(dir.path(), &["state", "list"]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert_eq!(listed.lines().count(), 21, "{listed}");
    assert!(listed.contains("strata_data.seed\n") && listed.contains("strata_file.f[19]\n"), "{listed}");
    let shown = strata(dir.path(), &["state", "show", "strata_data.seed"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("input = \"seed\""));
    let moved = strata(dir.path(), &["state", "mv", "strata_file.f[19]", "strata_file.f[20]"]);
    assert!(moved.status.success(), "{}", String::from_utf8_lossy(&moved.stderr));
    let listed = String::from_utf8_lossy(&strata(dir.path(), &["state", "list"]).stdout).into_owned();
    assert!(listed.contains("strata_file.f[20]\n") && !listed.contains("strata_file.f[19]\n"), "{listed}");
    let moved = strata(dir.path(), &["state", "mv", "strata_file.f[20]", "strata_file.f[19]"]);
    assert!(moved.status.success(), "{}", String::from_utf8_lossy(&moved.stderr));
    let pulled = strata(dir.path(), &["state", "pull"]);
    assert!(String::from_utf8_lossy(&pulled.stdout).contains("\"format\": \"strata-state\""));
    let destroyed = strata(dir.path(), &["destroy", "--auto-approve"]);
    assert!(destroyed.status.success(), "{}", String::from_utf8_lossy(&destroyed.stderr));
    assert_eq!(std::fs::read_dir(dir.path().join("files")).unwrap().count(), 0);
}

#[test]
fn two_applies_one_lock() {
    let Some(conn) = conn_str() else { return };
    // Two working directories sharing one pg state, like two team members.
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let schema = format!("{}_b", schema());
    config(a.path(), &conn, &schema, 300);
    config(b.path(), &conn, &schema, 300);
    let args = ["apply", "--auto-approve", "--parallelism", "1"];
    let spawn = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_strata"))
            .current_dir(dir)
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(a.path()), spawn(b.path()));
    let (first, second) = (first.wait_with_output().unwrap(), second.wait_with_output().unwrap());
    let codes = [first.status.code(), second.status.code()];
    // Diagnostics wrap at the terminal width; compare with white space folded.
    let stderr = format!("{} {}", String::from_utf8_lossy(&first.stderr), String::from_utf8_lossy(&second.stderr))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if codes == [Some(0), Some(0)] {
        // They did not overlap (one finished before the other started); then the second must
        // have found nothing to do.
        let stdout = format!("{}\n{}", String::from_utf8_lossy(&first.stdout), String::from_utf8_lossy(&second.stdout));
        assert!(
            stdout.contains("No changes"),
            "both applied without overlapping, yet neither found nothing to do:\n{stdout}"
        );
        return;
    }
    assert!(codes.contains(&Some(0)) && codes.contains(&Some(1)), "{codes:?}\n{stderr}");
    // Started together, the loser may look before the winner has stored who it is, so only
    // the summary is certain here (the local lock tests check the holder's details).
    assert!(stderr.contains("Error acquiring the state lock"), "{stderr}");
}
