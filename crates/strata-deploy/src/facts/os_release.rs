//! Fact: the operating system, from `/etc/os-release`.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};

/// The fields of os-release that deployments branch on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsRelease {
    /// `debian`, `ubuntu`, … (`linux` when unset, as os-release(5) says).
    pub id: String,
    #[serde(default)]
    pub id_like: Vec<String>,
    #[serde(default)]
    pub version_id: Option<String>,
    #[serde(default)]
    pub pretty_name: Option<String>,
}

/// Reads [`OsRelease`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsReleaseFact {}

impl Fact for OsReleaseFact {
    type Value = OsRelease;

    fn describe(&self) -> String {
        "os-release".to_owned()
    }

    fn command(&self) -> String {
        "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null || true".to_owned()
    }

    fn parse(&self, stdout: &str) -> Result<OsRelease, FactError> {
        let mut release =
            OsRelease { id: "linux".to_owned(), id_like: Vec::new(), version_id: None, pretty_name: None };
        for line in stdout.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(FactError::parse(self, line));
            };
            let value = unquote(value);
            match key {
                "ID" => release.id = value,
                "ID_LIKE" => release.id_like = value.split_whitespace().map(str::to_owned).collect(),
                "VERSION_ID" => release.version_id = Some(value),
                "PRETTY_NAME" => release.pretty_name = Some(value),
                _ => {}
            }
        }
        Ok(release)
    }
}

/// A shell-style value: `"a \"b\""`, `'a b'` or `plain`.
fn unquote(value: &str) -> String {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')) {
        return inner.to_owned();
    }
    let Some(inner) = value.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')) else {
        return value.to_owned();
    };
    let mut unquoted = String::with_capacity(inner.len());
    let mut characters = inner.chars();
    while let Some(character) = characters.next() {
        if character == '\\'
            && let Some(escaped) = characters.next()
        {
            unquoted.push(escaped);
        } else {
            unquoted.push(character);
        }
    }
    unquoted
}
