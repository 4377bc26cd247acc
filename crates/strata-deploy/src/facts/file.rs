//! Fact: a regular file's mode and sha256, or that it is missing.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};
use crate::mode::Mode;
use crate::shell::quote;

/// The state of a regular file (a symlink counts as "not a file": it is never followed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FileState {
    Missing,
    File { mode: Mode, sha256: String },
    NotAFile,
}

/// Reads [`FileState`] of `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFact {
    pub path: String,
}

impl FileFact {
    pub fn new(path: impl Into<String>) -> Self {
        Self { path: path.into() }
    }
}

impl Fact for FileFact {
    type Value = FileState;

    fn describe(&self) -> String {
        format!("file {}", self.path)
    }

    fn command(&self) -> String {
        format!(
            "p={}\n\
             if [ -L \"$p\" ]; then echo not_a_file\n\
             elif [ -f \"$p\" ]; then printf 'file %s ' \"$(stat -c %a -- \"$p\")\" && sha256sum < \"$p\"\n\
             elif [ -e \"$p\" ]; then echo not_a_file\n\
             else echo missing; fi",
            quote(&self.path)
        )
    }

    fn parse(&self, stdout: &str) -> Result<FileState, FactError> {
        let words: Vec<&str> = stdout.split_whitespace().collect();
        match words.as_slice() {
            ["missing"] => Ok(FileState::Missing),
            ["not_a_file"] => Ok(FileState::NotAFile),
            ["file", mode, sha256, rest @ ..] if is_sha256(sha256) && rest.iter().all(|word| *word == "-") => {
                let mode = mode.parse().map_err(|_| FactError::parse(self, stdout))?;
                Ok(FileState::File { mode, sha256: (*sha256).to_owned() })
            }
            _ => Err(FactError::parse(self, stdout)),
        }
    }
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}
