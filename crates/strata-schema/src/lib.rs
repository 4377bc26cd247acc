//! Schemas: which arguments and nested blocks a provider, resource or data source takes.
//!
//! Main types: [`BlockSchema`] (attributes plus nested blocks), [`ResourceSchema`], and the
//! [`SchemaSource`] trait the config validator asks. [`builtin_catalog`] describes the resource
//! types Strata ships with; a later stage serves schemas from provider plugins through the same
//! trait.

mod block;
mod builtin;
mod catalog;

pub use block::{AttributeSchema, BlockSchema, NestedBlockSchema, Nesting};
pub use builtin::builtin_catalog;
pub use catalog::{Catalog, ProviderSchema, ResourceSchema, SchemaSource};
