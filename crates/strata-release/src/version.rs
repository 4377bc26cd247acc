//! Release names and versions: `NAME-a.b.c`.
//!
//! The seed's semantics: `a` is a big change (test jobs before moving), `b` changes some
//! component versions (mostly compatible, still test), `c` is fixes only and fully backward
//! compatible. Only a `c` change is a compatible upgrade, the kind a cluster may take in place.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::VersionError;

/// `a.b.c`: three unsigned numbers without leading zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReleaseVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// What moving a cluster from one release version to another means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionChange {
    /// The same version: nothing to do.
    Same,
    /// `a.b.c` → `a.b.d` with `d > c`: fixes only, fully compatible (in place).
    Patch,
    /// `b` grows: some component versions change (mostly compatible, test first).
    Minor,
    /// `a` grows: a big change.
    Major,
    /// The target is older.
    Downgrade,
}

impl ReleaseVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self { major, minor, patch }
    }

    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &'static str| VersionError { text: text.to_owned(), reason };
        let mut parts = text.split('.');
        let mut numbers = [0_u32; 3];
        for number in &mut numbers {
            let part = parts.next().ok_or_else(|| invalid("a release version has three parts, a.b.c"))?;
            if part.is_empty() || !part.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(invalid("each part of a release version is a number"));
            }
            if part.len() > 1 && part.starts_with('0') {
                return Err(invalid("a release version number has no leading zeros"));
            }
            *number = part.parse().map_err(|_| invalid("a release version number is too large"))?;
        }
        if parts.next().is_some() {
            return Err(invalid("a release version has three parts, a.b.c"));
        }
        Ok(Self::new(numbers[0], numbers[1], numbers[2]))
    }

    /// What moving from `from` to `to` is.
    pub fn change(from: &Self, to: &Self) -> VersionChange {
        match to.cmp(from) {
            Ordering::Equal => VersionChange::Same,
            Ordering::Less => VersionChange::Downgrade,
            Ordering::Greater if to.major != from.major => VersionChange::Major,
            Ordering::Greater if to.minor != from.minor => VersionChange::Minor,
            Ordering::Greater => VersionChange::Patch,
        }
    }

    /// Whether `from` → `to` is a fully compatible upgrade: same `a.b`, a higher `c`.
    pub fn is_compatible_upgrade(from: &Self, to: &Self) -> bool {
        Self::change(from, to) == VersionChange::Patch
    }
}

impl fmt::Display for ReleaseVersion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for ReleaseVersion {
    type Err = VersionError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// A release's full name, `LINE-a.b.c` (`EMR-3.2.0`, `STRATA-1.0.0`). Releases of one line
/// are comparable; releases of different lines are unrelated bundles.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleaseName {
    /// Upper-case letters and digits, starting with a letter.
    pub line: String,
    pub version: ReleaseVersion,
}

impl ReleaseName {
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &'static str| VersionError { text: text.to_owned(), reason };
        let (line, version) = text.rsplit_once('-').ok_or_else(|| invalid("a release name is NAME-a.b.c"))?;
        let mut bytes = line.bytes();
        let starts_with_letter = bytes.next().is_some_and(|byte| byte.is_ascii_uppercase());
        if !starts_with_letter || !bytes.all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit()) {
            return Err(invalid("a release line is upper-case letters and digits, starting with a letter"));
        }
        let version = ReleaseVersion::parse(version)
            .map_err(|error| VersionError { text: text.to_owned(), reason: error.reason })?;
        Ok(Self { line: line.to_owned(), version })
    }

    /// What moving from `from` to `to` is, or `None` when they belong to different lines.
    pub fn change(from: &Self, to: &Self) -> Option<VersionChange> {
        (from.line == to.line).then(|| ReleaseVersion::change(&from.version, &to.version))
    }

    /// A fully compatible upgrade: same line, same `a.b`, higher `c`.
    pub fn is_compatible_upgrade(from: &Self, to: &Self) -> bool {
        Self::change(from, to) == Some(VersionChange::Patch)
    }
}

impl fmt::Display for ReleaseName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}-{}", self.line, self.version)
    }
}

impl FromStr for ReleaseName {
    type Err = VersionError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl PartialOrd for ReleaseName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Line first, then version: the catalog's listing order.
impl Ord for ReleaseName {
    fn cmp(&self, other: &Self) -> Ordering {
        self.line.cmp(&other.line).then(self.version.cmp(&other.version))
    }
}
