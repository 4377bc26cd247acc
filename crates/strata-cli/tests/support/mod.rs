//! What the end-to-end tests share: the `strata` binary, the provider plugins next to it, and
//! whether this process may make real hosts.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
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
