//! A release: a fixed bundle of component versions.

use std::fmt;

use crate::component::Component;
use crate::config_file::ConfigFile;
use crate::role::Role;
use crate::service::Service;
use crate::version::ReleaseName;

#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub name: ReleaseName,
    /// When it was released, `YYYY-MM`.
    pub released: String,
    pub status: ReleaseStatus,
    /// Whether this machine can install it (every artifact obtainable, checksums recorded).
    pub installable: bool,
    /// Release notes.
    pub notes: String,
    pub description: Option<String>,
    /// In the order the release file lists them.
    pub components: Vec<Component>,
    /// The catalog file it was read from.
    pub source_file: String,
}

impl Release {
    pub fn component(&self, key: &str) -> Option<&Component> {
        self.components.iter().find(|component| component.key == key)
    }

    /// Every service of every component, in release order.
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.components.iter().flat_map(|component| &component.services)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services().find(|service| service.name == name)
    }

    /// The services that run on hosts of `role`, in release order.
    pub fn services_for_role(&self, role: Role) -> Vec<&Service> {
        self.services().filter(|service| service.runs_on(role)).collect()
    }

    /// The components installed on hosts of `role`, in release order.
    pub fn components_for_role(&self, role: Role) -> Vec<&Component> {
        self.components.iter().filter(|component| component.roles.contains(&role)).collect()
    }

    /// Every config file of every component, in release order.
    pub fn config_files(&self) -> impl Iterator<Item = (&Component, &ConfigFile)> {
        self.components.iter().flat_map(|component| component.config_files.iter().map(move |file| (component, file)))
    }

    pub fn config_file(&self, name: &str) -> Option<&ConfigFile> {
        self.config_files().map(|(_, file)| file).find(|file| file.name == name)
    }

    /// The services that read a config file: the ones a change to it restarts.
    pub fn services_reading(&self, config_file: &str) -> Vec<&Service> {
        self.services().filter(|service| service.config_files.iter().any(|name| name == config_file)).collect()
    }
}

/// Where a release stands, as its vendor says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReleaseStatus {
    Current,
    /// Replaced by a compatible release (use the newer one).
    Superseded,
    /// Still maintained, not the newest.
    Maintained,
    NotRecommended,
    Deprecated,
}

impl ReleaseStatus {
    pub const ALL: [ReleaseStatus; 5] =
        [Self::Current, Self::Superseded, Self::Maintained, Self::NotRecommended, Self::Deprecated];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Superseded => "superseded",
            Self::Maintained => "maintained",
            Self::NotRecommended => "not-recommended",
            Self::Deprecated => "deprecated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    /// Whether choosing a release with this status deserves a warning.
    pub fn warns(self) -> bool {
        matches!(self, Self::Superseded | Self::NotRecommended | Self::Deprecated)
    }
}

impl fmt::Display for ReleaseStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}
