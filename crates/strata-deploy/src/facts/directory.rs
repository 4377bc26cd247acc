//! Fact: whether a directory exists, and its mode.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};
use crate::mode::Mode;
use crate::shell::quote;

/// The state of a directory (a symlink to a directory counts as "not a directory").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DirectoryState {
    Missing,
    Directory { mode: Mode },
    NotADirectory,
}

/// Reads [`DirectoryState`] of `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryFact {
    pub path: String,
}

impl DirectoryFact {
    pub fn new(path: impl Into<String>) -> Self {
        Self { path: path.into() }
    }
}

impl Fact for DirectoryFact {
    type Value = DirectoryState;

    fn describe(&self) -> String {
        format!("directory {}", self.path)
    }

    fn command(&self) -> String {
        format!(
            "p={}\n\
             if [ -L \"$p\" ]; then echo not_a_directory\n\
             elif [ -d \"$p\" ]; then printf 'directory %s\\n' \"$(stat -c %a -- \"$p\")\"\n\
             elif [ -e \"$p\" ]; then echo not_a_directory\n\
             else echo missing; fi",
            quote(&self.path)
        )
    }

    fn parse(&self, stdout: &str) -> Result<DirectoryState, FactError> {
        let words: Vec<&str> = stdout.split_whitespace().collect();
        match words.as_slice() {
            ["missing"] => Ok(DirectoryState::Missing),
            ["not_a_directory"] => Ok(DirectoryState::NotADirectory),
            ["directory", mode] => {
                let mode = mode.parse().map_err(|_| FactError::parse(self, stdout))?;
                Ok(DirectoryState::Directory { mode })
            }
            _ => Err(FactError::parse(self, stdout)),
        }
    }
}
