//! Components (one piece of software at one version) and the artifacts they come from.

use std::fmt;

use crate::config_file::ConfigFile;
use crate::role::Role;
use crate::service::Service;

/// One piece of software of a release, at the release's fixed version.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// What a cluster's `services = [...]` names: upper case (`SPARK`, `ZOOKEEPER`).
    pub key: String,
    /// The name the seed and the product use (`Spark`, `ZooKeeper`).
    pub display_name: String,
    /// The version exactly as the release states it (`2.7.2-emr-1.2.6`, `3.8.0`).
    pub version: String,
    /// The source only guessed this version (the seed marks such rows with `?`).
    pub version_uncertain: bool,
    /// The upstream release a vendor build is based on (`2.7.2` for `2.7.2-emr-1.2.6`).
    pub upstream_version: Option<String>,
    pub description: String,
    /// Where the component's files are once installed (a template, see `placeholder`).
    pub home: Option<String>,
    /// Roles of the hosts that get the component installed (its clients included).
    pub roles: Vec<Role>,
    /// Components installed along with this one (libraries, the engine a server runs in).
    pub requires: Vec<String>,
    /// Shell commands installing the artifacts on a host (templates; `{artifact_dir}` holds
    /// the verified artifacts). Empty for `system` artifacts and images.
    pub install: Vec<String>,
    pub artifacts: Vec<Artifact>,
    pub services: Vec<Service>,
    pub config_files: Vec<ConfigFile>,
    /// What is known and what is not about this component in this release.
    pub notes: Option<String>,
}

impl Component {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|service| service.name == name)
    }

    pub fn config_file(&self, name: &str) -> Option<&ConfigFile> {
        self.config_files.iter().find(|file| file.name == name)
    }

    /// The version as the seed writes it (`3.12.0?` when uncertain).
    pub fn version_as_stated(&self) -> String {
        if self.version_uncertain { format!("{}?", self.version) } else { self.version.clone() }
    }
}

/// Where a component's bits come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    /// Unique within the component (the package or file name).
    pub name: String,
    pub kind: ArtifactKind,
    /// Download address (absent for `system` and `image`).
    pub url: Option<String>,
    /// Debian or PyPI package name.
    pub package: Option<String>,
    /// The package's exact version (Debian version for `deb` and `system`).
    pub version: Option<String>,
    /// SHA-256 of the downloaded file, lower-case hex, where known.
    pub sha256: Option<String>,
    /// Size in bytes, where known.
    pub size: Option<u64>,
    /// Where a checksum can be had when `sha256` is not recorded.
    pub checksum_source: Option<String>,
}

impl Artifact {
    /// Whether installing it means downloading a file.
    pub fn is_downloaded(&self) -> bool {
        matches!(self.kind, ArtifactKind::Deb | ArtifactKind::Pypi | ArtifactKind::Archive)
    }

    /// The file name the download is stored under (the URL's last segment).
    pub fn file_name(&self) -> Option<&str> {
        self.url.as_deref().and_then(|url| url.rsplit('/').next()).filter(|name| !name.is_empty())
    }
}

/// How an artifact is obtained and installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArtifactKind {
    /// A Debian package (`.deb` from the Debian archive; sha256 from its Packages index).
    Deb,
    /// A file from PyPI (sdist or wheel; sha256 from PyPI's JSON API).
    Pypi,
    /// An archive downloaded from a project's site (Apache archive, Maven Central, GitHub).
    Archive,
    /// Already installed on the host: checked by Debian package name and version.
    System,
    /// Part of the machine image (the operating system).
    Image,
}

impl ArtifactKind {
    pub const ALL: [ArtifactKind; 5] = [Self::Deb, Self::Pypi, Self::Archive, Self::System, Self::Image];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deb => "deb",
            Self::Pypi => "pypi",
            Self::Archive => "archive",
            Self::System => "system",
            Self::Image => "image",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

impl fmt::Display for ArtifactKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}
