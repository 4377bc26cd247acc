//! Fact: the contents of a marker file, such as an installed component's version or the
//! sha256 of the archive extracted into a directory.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};
use crate::shell::quote;

/// Reads a small marker file: `None` when missing, else its contents without surrounding
/// whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkerFact {
    pub path: String,
}

impl MarkerFact {
    pub fn new(path: impl Into<String>) -> Self {
        Self { path: path.into() }
    }
}

impl Fact for MarkerFact {
    type Value = Option<String>;

    fn describe(&self) -> String {
        format!("marker {}", self.path)
    }

    fn command(&self) -> String {
        format!(
            "p={}\nif [ -f \"$p\" ]; then echo present; head -c 65536 -- \"$p\"; else echo missing; fi",
            quote(&self.path)
        )
    }

    fn parse(&self, stdout: &str) -> Result<Option<String>, FactError> {
        match stdout.split_once('\n') {
            Some(("present", contents)) => Ok(Some(contents.trim().to_owned())),
            Some(("missing", "")) => Ok(None),
            _ => Err(FactError::parse(self, stdout)),
        }
    }
}
