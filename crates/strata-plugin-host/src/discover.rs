//! Where provider executables are found. A provider `NAME` is the executable
//! `strata-provider-NAME`, looked up in order in:
//!
//! 1. `.strata/providers/` under the working directory (a project's pinned plugins);
//! 2. `~/.strata/providers/` (the user's);
//! 3. the directory of the running `strata` executable (a dev build: `cargo build` puts the
//!    providers of `providers/` next to it in `target/debug/`);
//! 4. every directory of `$PATH`.

use std::path::{Path, PathBuf};

use crate::PluginError;

/// Executable names start with this, then the provider name.
pub const PLUGIN_PREFIX: &str = "strata-provider-";

/// The directories searched, in order.
pub fn search_path() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from(".strata/providers")];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".strata/providers"));
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)) {
        dirs.push(dir.clone());
        // Test binaries live one level down, in target/debug/deps.
        if dir.ends_with("deps")
            && let Some(parent) = dir.parent()
        {
            dirs.push(parent.to_path_buf());
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    dirs
}

/// The executable of provider `name`: the first `strata-provider-NAME` on [`search_path`].
///
/// # Errors
/// [`PluginError::NotFound`] listing every directory searched.
pub fn find_plugin(name: &str) -> Result<PathBuf, PluginError> {
    let file = format!("{PLUGIN_PREFIX}{name}");
    let searched = search_path();
    for dir in &searched {
        let candidate = dir.join(&file);
        if is_executable(&candidate) {
            return Ok(candidate);
        }
    }
    Err(PluginError::NotFound { name: name.to_owned(), file, searched })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
