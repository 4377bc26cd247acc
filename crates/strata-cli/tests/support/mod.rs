//! What the end-to-end tests share: the `strata` binary, the provider plugins next to it, and
//! whether this process may make real hosts.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

pub mod cluster;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// The `strata` binary under test.
pub fn strata() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_strata"))
}

/// The plugin executable `strata-provider-NAME`, next to `strata` (a workspace build puts it
/// there; a build of `strata-cli` alone does not, so it is built here once if missing).
pub fn plugin(name: &str) -> PathBuf {
    // One build at a time, and each plugin checked once per test process.
    static BUILT: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let path = strata().with_file_name(format!("strata-provider-{name}"));
    let package = format!("strata-provider-{name}");
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if built.insert(name.to_owned()) && !path.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-q", "-p", &package])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap_or_else(|e| panic!("cargo build -p {package}: {e}"));
        assert!(status.success(), "cannot build {package}");
    }
    assert!(path.exists(), "{} not built", path.display());
    path
}

/// Whether this process may make hosts (root); `false` means "skip", which is refused under CI.
pub fn can_make_hosts(what: &str) -> bool {
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("Uid:")).map(str::to_string))
        .is_some_and(|line| line.split_whitespace().nth(2) == Some("0"));
    assert!(root || std::env::var_os("CI").is_none(), "{what} must run as root under CI");
    root
}

/// `strata ARGS` in `dir`, without a terminal, colours or `STRATA_VAR_*` from the test's
/// environment: exit code, stdout, stderr.
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(strata());
    command.args(args).current_dir(dir).env("NO_COLOR", "1").stdin(Stdio::null());
    for (name, _) in std::env::vars() {
        if name.starts_with("STRATA_VAR_") {
            command.env_remove(name);
        }
    }
    let output = command.output().expect("strata runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code().unwrap_or(-1), text(&output.stdout), text(&output.stderr))
}

/// [`run_in`], failing unless it exits with `code`; returns stdout and stderr.
pub fn expect_in(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    let (status, stdout, stderr) = run_in(dir, args);
    assert_eq!(status, code, "strata {}\n--- stdout\n{stdout}--- stderr\n{stderr}", args.join(" "));
    (stdout, stderr)
}

/// [`run_in`] as snapshot text (exit code, stdout, stderr) with `dir` shown as `[DIR]`.
pub fn snapshot_in(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_in(dir, args);
    format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}").replace(&dir.display().to_string(), "[DIR]")
}

/// Copies the directory tree `from` into `to` (made if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `testdata/<fixture>` copied into a fresh temporary directory.
pub fn fixture_workspace(fixture: &str) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(fixture), work.path());
    work
}

/// The addresses `strata state list` prints in `dir`.
pub fn state_list(dir: &Path) -> Vec<String> {
    let (list, _) = expect_in(dir, &["state", "list"], 0);
    list.lines().map(str::to_owned).collect()
}

/// A temporary directory outside /tmp and /var/tmp, which the local provider refuses as a
/// state directory (its hosts bind /tmp privately): under the target directory, or under
/// `$HOME/.cache` when the checkout itself is below /tmp (a CI clone there).
pub fn persistent_tempdir(prefix: &str) -> tempfile::TempDir {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let volatile = |path: &Path| path.starts_with("/tmp") || path.starts_with("/var/tmp");
    let base = if volatile(&target) {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"));
        let base = home.join(".cache/strata-test-tmp");
        std::fs::create_dir_all(&base).unwrap_or_else(|e| panic!("{}: {e}", base.display()));
        base
    } else {
        target
    };
    tempfile::Builder::new().prefix(prefix).tempdir_in(base).unwrap()
}
