//! Fact: whether a regular file still has the content it was given, and what it has instead.
//!
//! Reading a file's whole content on every refresh would move every managed file over SSH on
//! every plan; this fact carries the sha256 of the content expected and prints the content
//! only when the file's differs (and only when asked to: a file holding a secret is compared
//! by its sha256 alone), up to a limit. Fixtures: `testdata/deploy/file_content/*.json`.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};
use crate::shell::quote;

/// Most bytes of a differing file the fact prints by default.
pub const DEFAULT_MAX_CONTENT: u64 = 64 * 1024;

/// What [`FileContentFact`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FileContentState {
    Missing,
    /// A directory, a symlink (never followed) or something else that is not a regular file.
    NotAFile,
    /// The content has the expected sha256.
    Same {
        size: u64,
    },
    /// Another content: its sha256, size and, when asked for, its first bytes (lossy UTF-8;
    /// shorter than `size` when the file is larger than the limit).
    Differs {
        sha256: String,
        size: u64,
        content: Option<String>,
    },
}

impl FileContentState {
    /// Whether `content` is all of the file (not cut at the limit).
    pub fn is_complete(&self) -> bool {
        match self {
            FileContentState::Differs { size, content: Some(content), .. } => content.len() as u64 == *size,
            _ => true,
        }
    }
}

/// Reads [`FileContentState`] of `path`, given the sha256 it should have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileContentFact {
    pub path: String,
    pub expected_sha256: String,
    /// Print the content when it differs (false for files holding secrets).
    #[serde(default)]
    pub show_content: bool,
    /// Most bytes printed.
    #[serde(default = "default_max")]
    pub max_content: u64,
}

fn default_max() -> u64 {
    DEFAULT_MAX_CONTENT
}

impl FileContentFact {
    pub fn new(path: impl Into<String>, expected_sha256: impl Into<String>, show_content: bool) -> Self {
        Self {
            path: path.into(),
            expected_sha256: expected_sha256.into(),
            show_content,
            max_content: DEFAULT_MAX_CONTENT,
        }
    }
}

impl Fact for FileContentFact {
    type Value = FileContentState;

    fn describe(&self) -> String {
        format!("content of {}", self.path)
    }

    fn command(&self) -> String {
        let show = if self.show_content { format!("head -c {} -- \"$p\"", self.max_content) } else { ":".into() };
        format!(
            "p={}\n\
             if [ -L \"$p\" ]; then echo not_a_file\n\
             elif [ -f \"$p\" ]; then\n\
             s=$(sha256sum < \"$p\" | cut -c1-64); n=$(wc -c < \"$p\" | tr -d ' ')\n\
             if [ \"$s\" = {} ]; then echo \"same $n\"; else echo \"differs $s $n\"; {show}; fi\n\
             elif [ -e \"$p\" ]; then echo not_a_file\n\
             else echo missing; fi",
            quote(&self.path),
            quote(&self.expected_sha256),
        )
    }

    fn parse(&self, stdout: &str) -> Result<FileContentState, FactError> {
        let (first, rest) = stdout.split_once('\n').unwrap_or((stdout, ""));
        let words: Vec<&str> = first.split_whitespace().collect();
        let size = |text: &str| text.parse::<u64>().map_err(|_| FactError::parse(self, stdout));
        match words.as_slice() {
            ["missing"] if rest.trim().is_empty() => Ok(FileContentState::Missing),
            ["not_a_file"] if rest.trim().is_empty() => Ok(FileContentState::NotAFile),
            ["same", n] if rest.trim().is_empty() => Ok(FileContentState::Same { size: size(n)? }),
            ["differs", sha256, n] if is_sha256(sha256) => Ok(FileContentState::Differs {
                sha256: (*sha256).to_owned(),
                size: size(n)?,
                content: self.show_content.then(|| rest.to_owned()),
            }),
            _ => Err(FactError::parse(self, stdout)),
        }
    }
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use serde_json::Value;

    use super::*;
    use crate::content::sha256_hex;

    /// `testdata/deploy/file_content/*.json`: `{"fact": {…}, "stdout": "…", "expected": …}` or
    /// `"error"` (a part of the message).
    #[test]
    fn fixtures() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/deploy/file_content");
        let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
        paths.sort();
        assert!(paths.len() >= 5, "fixtures in {}", dir.display());
        for path in paths {
            let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let fact: FileContentFact = serde_json::from_value(fixture["fact"].clone()).unwrap();
            let parsed = fact.parse(fixture["stdout"].as_str().unwrap());
            match (&parsed, fixture.get("expected"), fixture.get("error")) {
                (Ok(value), Some(expected), None) => {
                    assert_eq!(&serde_json::to_value(value).unwrap(), expected, "{}", path.display())
                }
                (Err(error), None, Some(Value::String(part))) => {
                    assert!(error.to_string().contains(part.as_str()), "{}: {error}", path.display())
                }
                _ => panic!("{}: {parsed:?}", path.display()),
            }
        }
    }

    /// The command, run by `/bin/sh` here, on each state it describes.
    #[test]
    fn the_command_reads_each_state() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app.conf");
        std::fs::write(&file, "a = 1\nb = 2\n").unwrap();
        let run = |fact: &FileContentFact| {
            let output = Command::new("/bin/sh").arg("-c").arg(fact.command()).output().unwrap();
            assert!(output.status.success());
            fact.parse(&String::from_utf8(output.stdout).unwrap()).unwrap()
        };
        let path = file.to_string_lossy().into_owned();
        let same = sha256_hex(b"a = 1\nb = 2\n");
        assert_eq!(run(&FileContentFact::new(&path, &same, true)), FileContentState::Same { size: 12 });
        let other = sha256_hex(b"a = 1\n");
        assert_eq!(
            run(&FileContentFact::new(&path, &other, true)),
            FileContentState::Differs { sha256: same.clone(), size: 12, content: Some("a = 1\nb = 2\n".into()) }
        );
        assert_eq!(
            run(&FileContentFact::new(&path, &other, false)),
            FileContentState::Differs { sha256: same.clone(), size: 12, content: None }
        );
        let cut = FileContentFact { max_content: 4, ..FileContentFact::new(&path, &other, true) };
        let state = run(&cut);
        assert_eq!(state, FileContentState::Differs { sha256: same, size: 12, content: Some("a = ".into()) });
        assert!(!state.is_complete());
        let missing = dir.path().join("missing").to_string_lossy().into_owned();
        assert_eq!(run(&FileContentFact::new(&missing, &other, true)), FileContentState::Missing);
        let directory = dir.path().to_string_lossy().into_owned();
        assert_eq!(run(&FileContentFact::new(&directory, &other, true)), FileContentState::NotAFile);
    }
}
