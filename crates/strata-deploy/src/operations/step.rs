//! One thing to do on a host: a command, or a file upload.

use serde::{Deserialize, Serialize};

use crate::content::FileContent;
use crate::mode::Mode;

/// A step of an operation. In fixtures: `{"run": "…"}` or `{"upload": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A `/bin/sh` command that must exit 0.
    Run(String),
    /// An atomic, checksum-verified upload.
    Upload(Upload),
}

/// A file to write on the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub path: String,
    pub mode: Mode,
    pub content: FileContent,
}

impl Step {
    pub(crate) fn upload(path: impl Into<String>, mode: Mode, content: FileContent) -> Self {
        Self::Upload(Upload { path: path.into(), mode, content })
    }
}
