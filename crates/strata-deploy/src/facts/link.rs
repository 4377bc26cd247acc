//! Fact: a symbolic link's target.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError, strip_newline};
use crate::shell::quote;

/// The state of a symbolic link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LinkState {
    Missing,
    Link { target: String },
    NotALink,
}

/// Reads [`LinkState`] of `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkFact {
    pub path: String,
}

impl LinkFact {
    pub fn new(path: impl Into<String>) -> Self {
        Self { path: path.into() }
    }
}

impl Fact for LinkFact {
    type Value = LinkState;

    fn describe(&self) -> String {
        format!("symlink {}", self.path)
    }

    fn command(&self) -> String {
        format!(
            "p={}\n\
             if [ -L \"$p\" ]; then echo link; readlink -- \"$p\"\n\
             elif [ -e \"$p\" ]; then echo not_a_link\n\
             else echo missing; fi",
            quote(&self.path)
        )
    }

    fn parse(&self, stdout: &str) -> Result<LinkState, FactError> {
        match stdout.split_once('\n') {
            Some(("link", target)) if !strip_newline(target).is_empty() => {
                Ok(LinkState::Link { target: strip_newline(target).to_owned() })
            }
            Some(("missing", "")) => Ok(LinkState::Missing),
            Some(("not_a_link", "")) => Ok(LinkState::NotALink),
            _ => Err(FactError::parse(self, stdout)),
        }
    }
}
