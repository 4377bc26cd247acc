//! Where schemas come from.

use std::collections::BTreeMap;

use crate::BlockSchema;

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceSchema {
    /// Bumped when the stored attributes change shape; state is upgraded from older versions.
    pub version: u64,
    pub description: String,
    pub block: BlockSchema,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProviderSchema {
    /// The `provider "NAME" { }` block.
    pub config: BlockSchema,
    pub resources: BTreeMap<String, ResourceSchema>,
    pub data_sources: BTreeMap<String, ResourceSchema>,
}

/// Answers schema questions for the validator.
pub trait SchemaSource {
    fn provider(&self, name: &str) -> Option<&ProviderSchema>;
    fn resource(&self, type_name: &str) -> Option<&ResourceSchema>;
    fn data_source(&self, type_name: &str) -> Option<&ResourceSchema>;
    fn resource_types(&self) -> Vec<&str>;
    fn data_source_types(&self) -> Vec<&str>;
    fn provider_names(&self) -> Vec<&str>;
}

/// Schemas of several providers, by provider name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub providers: BTreeMap<String, ProviderSchema>,
}

impl Catalog {
    /// The provider a type's name starts with (`strata` for `strata_data`), where types
    /// usually are: asked four times per resource, looking in every provider in turn was 2 %
    /// of a plan of 5,000 resources. (A type two providers offer is therefore the one of the
    /// provider its name starts with, as Terraform's implied provider would have it.)
    fn named_by_prefix(&self, type_name: &str) -> Option<&ProviderSchema> {
        let (prefix, _) = type_name.split_once('_')?;
        self.providers.get(prefix)
    }
}

impl SchemaSource for Catalog {
    fn provider(&self, name: &str) -> Option<&ProviderSchema> {
        self.providers.get(name)
    }

    fn resource(&self, type_name: &str) -> Option<&ResourceSchema> {
        self.named_by_prefix(type_name)
            .and_then(|p| p.resources.get(type_name))
            .or_else(|| self.providers.values().find_map(|p| p.resources.get(type_name)))
    }

    fn data_source(&self, type_name: &str) -> Option<&ResourceSchema> {
        self.named_by_prefix(type_name)
            .and_then(|p| p.data_sources.get(type_name))
            .or_else(|| self.providers.values().find_map(|p| p.data_sources.get(type_name)))
    }

    fn resource_types(&self) -> Vec<&str> {
        self.providers.values().flat_map(|p| p.resources.keys().map(String::as_str)).collect()
    }

    fn data_source_types(&self) -> Vec<&str> {
        self.providers.values().flat_map(|p| p.data_sources.keys().map(String::as_str)).collect()
    }

    fn provider_names(&self) -> Vec<&str> {
        self.providers.keys().map(String::as_str).collect()
    }
}
