//! Ctrl-C during apply: the first SIGINT stops new work, lets running operations finish,
//! records them, and exits 1; nothing is lost and the next apply finishes the job.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn config(dir: &Path) {
    let text = "resource \"strata_file\" \"f\" {\n  count   = 400\n  path    = \"${path.module}/files/f-${count.index}.txt\"\n  content = \"file ${count.index}\"\n}\n";
    std::fs::write(dir.join("main.hcl"), text).unwrap();
}

#[test]
fn first_interrupt_stops_cleanly_and_the_next_apply_converges() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .current_dir(dir.path())
        .args(["apply", "--auto-approve", "--parallelism", "1"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (bounded) until some files exist, then interrupt once.
    let started = Instant::now();
    while std::fs::read_dir(dir.path().join("files")).map_or(0, |d| d.count()) < 20 {
        assert!(started.elapsed() < Duration::from_secs(30), "apply never got going");
        std::thread::sleep(Duration::from_millis(5));
    }
    let pid = child.id() as i32;
    let sent = sigint(pid);
    assert!(sent, "could not send SIGINT");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let files = std::fs::read_dir(dir.path().join("files")).unwrap().count();
    if output.status.success() {
        // The apply finished before the signal arrived; nothing to check but the result.
        assert_eq!(files, 400);
        return;
    }
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Apply interrupted"), "{stderr}");
    assert!(files < 400, "an interrupted apply should not have made everything");
    // Everything made is recorded: the state lists as many instances as there are files.
    let listed =
        Command::new(env!("CARGO_BIN_EXE_strata")).current_dir(dir.path()).args(["state", "list"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), files, "{stderr}");
    // And the next apply completes the rest.
    let again = Command::new(env!("CARGO_BIN_EXE_strata"))
        .current_dir(dir.path())
        .args(["apply", "--auto-approve"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(std::fs::read_dir(dir.path().join("files")).unwrap().count(), 400);
}

/// Sends SIGINT with the `kill` command (keeps the test free of unsafe code).
fn sigint(pid: i32) -> bool {
    Command::new("kill").args(["-INT", &pid.to_string()]).status().is_ok_and(|s| s.success())
}
