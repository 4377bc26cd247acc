//! Provider plugins that misbehave on purpose (`providers/test`): every scenario in
//! `testdata/plugins/NAME/main.hcl` runs `strata` in a fresh directory and checks what the
//! file's header says:
//!
//! - `# COMMAND: apply --auto-approve`: the arguments (one command per scenario);
//! - `# ENV: NAME=VALUE`: environment for strata (and so for the plugin);
//! - `# EXPECT-EXIT: N`: the exit code;
//! - `# EXPECT-STDERR: text` / `# EXPECT-STDOUT: text`: text that must appear;
//! - `# EXPECT-ABSENT: text`: text that must not be shown (stdout, stderr);
//! - `# EXPECT-NOT-IN-STATE: text`: text that must not be in the state files;
//! - `# EXPECT-STATE: ADDR` / `# EXPECT-NOT-STATE: ADDR`: `strata state list` afterwards.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod support;
use support::{plugin, strata};

#[derive(Default)]
struct Expectations {
    args: Vec<String>,
    env: Vec<(String, String)>,
    exit: i32,
    stderr: Vec<String>,
    stdout: Vec<String>,
    absent: Vec<String>,
    not_in_state: Vec<String>,
    state: Vec<String>,
    not_state: Vec<String>,
}

fn expectations(text: &str) -> Expectations {
    let mut e = Expectations::default();
    for line in text.lines() {
        let Some((key, value)) = line.strip_prefix("# ").and_then(|l| l.split_once(": ")) else { continue };
        let value = value.to_owned();
        match key {
            "COMMAND" => e.args = value.split_whitespace().map(str::to_owned).collect(),
            "ENV" => {
                let (name, val) = value.split_once('=').expect("ENV: NAME=VALUE");
                e.env.push((name.to_owned(), val.to_owned()));
            }
            "EXPECT-EXIT" => e.exit = value.parse().expect("EXPECT-EXIT: number"),
            "EXPECT-STDERR" => e.stderr.push(value),
            "EXPECT-STDOUT" => e.stdout.push(value),
            "EXPECT-ABSENT" => e.absent.push(value),
            "EXPECT-NOT-IN-STATE" => e.not_in_state.push(value),
            "EXPECT-STATE" => e.state.push(value),
            "EXPECT-NOT-STATE" => e.not_state.push(value),
            _ => {}
        }
    }
    assert!(!e.args.is_empty(), "no COMMAND line");
    e
}

fn run_scenario(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let source = std::fs::read_to_string(dir.join("main.hcl")).unwrap();
    let e = expectations(&source);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("main.hcl"), &source).unwrap();
    // Installed the way a user pins a plugin for a project.
    let providers = work.path().join(".strata/providers");
    std::fs::create_dir_all(&providers).unwrap();
    std::os::unix::fs::symlink(plugin("test"), providers.join("strata-provider-test")).unwrap();

    let mut command = Command::new(strata());
    command.args(&e.args).current_dir(work.path()).env("NO_COLOR", "1").stdin(Stdio::null());
    for (k, v) in &e.env {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(format!("{name}: {what}"));
    if output.status.code() != Some(e.exit) {
        fail(format!("exit {:?}, expected {}", output.status.code(), e.exit));
    }
    for text in &e.stderr {
        if !stderr.contains(text.as_str()) {
            fail(format!("stderr lacks {text:?}"));
        }
    }
    for text in &e.stdout {
        if !stdout.contains(text.as_str()) {
            fail(format!("stdout lacks {text:?}"));
        }
    }
    let state_files: String = ["strata.state.json", "strata.state.json.journal"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(work.path().join(f)).ok())
        .collect();
    for text in &e.absent {
        if stdout.contains(text.as_str()) || stderr.contains(text.as_str()) {
            fail(format!("{text:?} was shown"));
        }
    }
    for text in &e.not_in_state {
        if state_files.contains(text.as_str()) {
            fail(format!("{text:?} is in the state files"));
        }
    }
    if !e.state.is_empty() || !e.not_state.is_empty() {
        let list = Command::new(strata()).args(["state", "list"]).current_dir(work.path()).output().unwrap();
        let listed = String::from_utf8_lossy(&list.stdout).into_owned();
        let listed: Vec<&str> = listed.lines().collect();
        for addr in &e.state {
            if !listed.contains(&addr.as_str()) {
                fail(format!("state lacks {addr} (has {listed:?})"));
            }
        }
        for addr in &e.not_state {
            if listed.contains(&addr.as_str()) {
                fail(format!("state has {addr}"));
            }
        }
    }
    if !failures.is_empty() {
        failures.push(format!("--- stdout:\n{stdout}--- stderr:\n{stderr}"));
    }
    failures
}

#[test]
fn misbehaving_plugins_get_their_diagnostics_and_state_keeps_what_completed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/plugins");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "scenarios missing in {}", root.display());
    let failures: Vec<String> = dirs.iter().flat_map(|dir| run_scenario(dir)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
