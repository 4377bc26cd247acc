//! The crate's errors.

use std::fmt;

use crate::config_file::ConfigFormat;

/// Text that is not a release version (`a.b.c`) or name (`NAME-a.b.c`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid release version `{text}`: {reason}")]
pub struct VersionError {
    pub text: String,
    pub reason: &'static str,
}

/// A template names a placeholder nobody filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no value for placeholder `{{{name}}}` in `{template}`")]
pub struct PlaceholderError {
    pub name: String,
    pub template: String,
}

/// `Catalog::get` with a name the catalog does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown release `{name}`{}", Hint(.suggestion))]
pub struct UnknownRelease {
    pub name: String,
    /// `did you mean `EMR-3.2.0`?`
    pub suggestion: Option<String>,
}

/// A catalog file that cannot be read into a release.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}: not valid HCL for a release: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    /// A mistake at a known place: `FILE:LINE:COLUMN: what is wrong`, then `hint: how to fix`.
    #[error("{file}:{line}:{column}: {message}{}", HintLine(.hint))]
    At { file: String, line: usize, column: usize, message: String, hint: Option<String> },
    #[error("release `{name}` is defined twice, in {first} and {second}")]
    DuplicateRelease { name: String, first: String, second: String },
}

/// Why services cannot be ordered for a start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartOrderError {
    #[error("release {release} has no component or service `{name}`{}", Hint(.suggestion))]
    UnknownName { release: String, name: String, suggestion: Option<String> },
    #[error(
        "service `{service}` depends on `{dependency}`, which is not among the chosen services; \
         add its component {component}"
    )]
    MissingDependency { service: String, dependency: String, component: String },
    #[error("service `{service}` depends on `{dependency}`, which release {release} does not have")]
    UnknownDependency { release: String, service: String, dependency: String },
    #[error("services depend on each other in a cycle: {}", .path.join(" -> "))]
    Cycle { path: Vec<String> },
}

/// A key or value that cannot be written in a config file's format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write `{key}` to a {format} file: {reason}")]
pub struct ConfigError {
    pub key: String,
    pub format: ConfigFormat,
    pub reason: &'static str,
}

/// One thing wrong with a release, found by `Catalog::validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub release: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.release, self.message)
    }
}

struct Hint<'a>(&'a Option<String>);

impl fmt::Display for Hint<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(suggestion) => write!(formatter, "; {suggestion}"),
            None => Ok(()),
        }
    }
}

struct HintLine<'a>(&'a Option<String>);

impl fmt::Display for HintLine<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(hint) => write!(formatter, "\nhint: {hint}"),
            None => Ok(()),
        }
    }
}
