//! The catalog: every release Strata knows.

use std::sync::OnceLock;

use strata_diagnostics::did_you_mean;

use crate::error::{CatalogError, Problem, UnknownRelease};
use crate::load::load;
use crate::release::Release;
use crate::validate::validate_release;
use crate::version::{ReleaseName, ReleaseVersion};

/// The catalog files compiled into the binary: releases and component templates.
macro_rules! catalog_files {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../catalog/", $file)))),*]
    };
}

/// Every file of `catalog/` (a test checks that none is left out).
pub const BUILTIN_FILES: &[(&str, &str)] = catalog_files![
    "emr-components.hcl",
    "EMR-1.0.0.hcl",
    "EMR-1.1.0.hcl",
    "EMR-1.2.0.hcl",
    "EMR-1.3.0.hcl",
    "EMR-2.0.0.hcl",
    "EMR-2.0.1.hcl",
    "EMR-2.1.0.hcl",
    "EMR-2.2.0.hcl",
    "EMR-2.3.0.hcl",
    "EMR-2.3.1.hcl",
    "EMR-2.4.0.hcl",
    "EMR-2.4.1.hcl",
    "EMR-2.4.2.hcl",
    "EMR-2.5.1.hcl",
    "EMR-3.0.0.hcl",
    "EMR-3.0.1.hcl",
    "EMR-3.0.2.hcl",
    "EMR-3.1.1.hcl",
    "EMR-3.2.0.hcl",
    "STRATA-1.0.0.hcl",
    "STRATA-1.0.1.hcl",
];

/// Releases sorted by line, then version.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    releases: Vec<Release>,
}

impl Catalog {
    /// The releases compiled into the binary (read once).
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The files are part of the binary and checked by the crate's tests.
            Catalog::from_files(BUILTIN_FILES.iter().copied()).expect("the builtin release catalog is valid")
        })
    }

    /// Reads catalog files given as (file name, text).
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Catalog, CatalogError> {
        Ok(Catalog { releases: load(files)? })
    }

    pub fn list(&self) -> &[Release] {
        &self.releases
    }

    /// The release named `name` (`STRATA-1.0.0`), or an error suggesting a near name.
    pub fn get(&self, name: &str) -> Result<&Release, UnknownRelease> {
        if let Some(release) = self.releases.iter().find(|release| release.name.to_string() == name) {
            return Ok(release);
        }
        Err(UnknownRelease { name: name.to_owned(), suggestion: self.suggest(name) })
    }

    /// The same name in other letter case; else the nearest version of the same line (a typo
    /// in a version is a transposition as often as not, which string similarity misjudges);
    /// else a similar name.
    fn suggest(&self, name: &str) -> Option<String> {
        let names: Vec<String> = self.releases.iter().map(|release| release.name.to_string()).collect();
        if let Some(same_but_case) = names.iter().find(|known| known.eq_ignore_ascii_case(name)) {
            return Some(format!("did you mean `{same_but_case}`?"));
        }
        if let Ok(wanted) = ReleaseName::parse(name) {
            let distance = |version: &ReleaseVersion| {
                (
                    version.major.abs_diff(wanted.version.major),
                    version.minor.abs_diff(wanted.version.minor),
                    version.patch.abs_diff(wanted.version.patch),
                )
            };
            let nearest = self
                .releases
                .iter()
                .filter(|release| release.name.line == wanted.line)
                .min_by_key(|release| distance(&release.name.version));
            if let Some(release) = nearest {
                return Some(format!("did you mean `{}`?", release.name));
            }
        }
        did_you_mean(name, names.iter().map(String::as_str))
    }

    /// The newest release of `line` whose status does not warn (current or maintained).
    pub fn latest(&self, line: &str) -> Option<&Release> {
        self.releases.iter().rev().find(|release| release.name.line == line && !release.status.warns())
    }

    /// Everything wrong with any release.
    pub fn validate(&self) -> Vec<Problem> {
        self.releases.iter().flat_map(validate_release).collect()
    }
}
