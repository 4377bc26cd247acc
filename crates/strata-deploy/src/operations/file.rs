//! Operation: a regular file with given content and mode.

use serde::{Deserialize, Serialize};

use crate::content::FileContent;
use crate::facts::FileState;
use crate::mode::Mode;
use crate::operations::{OperationError, Step, require_absolute};
use crate::shell::{parent, quote};

/// A file that should exist with this content and mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSpec {
    pub path: String,
    pub content: FileContent,
    #[serde(default = "default_mode")]
    pub mode: Mode,
}

fn default_mode() -> Mode {
    Mode::FILE
}

/// Uploads the file when it is missing or its checksum differs (creating its directory when
/// missing), or only changes its mode.
pub fn file(fact: &FileState, desired: &FileSpec) -> Result<Vec<Step>, OperationError> {
    require_absolute(&desired.path)?;
    let upload = || Step::upload(&desired.path, desired.mode, desired.content.clone());
    Ok(match fact {
        FileState::NotAFile => return Err(OperationError::NotAFile { path: desired.path.clone() }),
        FileState::Missing => {
            vec![Step::Run(format!("mkdir -p -- {}", quote(parent(&desired.path)))), upload()]
        }
        FileState::File { sha256, .. } if *sha256 != desired.content.sha256() => vec![upload()],
        FileState::File { mode, .. } if *mode != desired.mode => {
            vec![Step::Run(format!("chmod {} -- {}", desired.mode, quote(&desired.path)))]
        }
        FileState::File { .. } => Vec::new(),
    })
}
