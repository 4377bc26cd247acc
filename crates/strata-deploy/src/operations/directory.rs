//! Operation: a directory with a given mode.

use serde::{Deserialize, Serialize};

use crate::facts::DirectoryState;
use crate::mode::Mode;
use crate::operations::{OperationError, Step, require_absolute};
use crate::shell::quote;

/// A directory that should exist (with its parents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectorySpec {
    pub path: String,
    #[serde(default = "default_mode")]
    pub mode: Mode,
}

fn default_mode() -> Mode {
    Mode::DIRECTORY
}

/// Creates the directory when missing, or only changes its mode.
pub fn directory(fact: &DirectoryState, desired: &DirectorySpec) -> Result<Vec<Step>, OperationError> {
    require_absolute(&desired.path)?;
    let path = quote(&desired.path);
    Ok(match fact {
        DirectoryState::NotADirectory => return Err(OperationError::NotADirectory { path: desired.path.clone() }),
        DirectoryState::Missing => vec![Step::Run(format!("mkdir -p -- {path} && chmod {} -- {path}", desired.mode))],
        DirectoryState::Directory { mode } if *mode != desired.mode => {
            vec![Step::Run(format!("chmod {} -- {path}", desired.mode))]
        }
        DirectoryState::Directory { .. } => Vec::new(),
    })
}
