//! Provider configuration addresses.

use std::fmt;

/// `provider "local" { alias = "b" }` is `local.b`; the default configuration is `local`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProviderConfigAddr {
    pub name: String,
    pub alias: Option<String>,
}

impl ProviderConfigAddr {
    pub fn default_for(name: impl Into<String>) -> ProviderConfigAddr {
        ProviderConfigAddr { name: name.into(), alias: None }
    }

    /// The provider that owns a resource type by Terraform's convention: the prefix before the
    /// first underscore (`emr_cluster` → `emr`).
    pub fn implied_by_type(type_name: &str) -> ProviderConfigAddr {
        ProviderConfigAddr::default_for(type_name.split('_').next().unwrap_or(type_name))
    }
}

impl fmt::Display for ProviderConfigAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.alias {
            Some(alias) => write!(f, "provider.{}.{alias}", self.name),
            None => write!(f, "provider.{}", self.name),
        }
    }
}
