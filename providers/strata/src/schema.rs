//! The provider's schema: what `strata_data` and `strata_file` accept and compute.
//!
//! It must equal the `strata` entry of `strata_schema::builtin_catalog()`, which the validator
//! uses until providers serve their own schemas; a test checks that they agree.

use strata_schema::{AttributeSchema as A, BlockSchema, ProviderSchema, ResourceSchema};
use strata_value::{Type, Value};

/// The mode a `strata_file` gets when the configuration does not set one.
pub const DEFAULT_MODE: &str = "0644";

/// The schema of the `strata` provider (no configuration, two resource types).
pub fn schema() -> ProviderSchema {
    let mut schema = ProviderSchema::default();
    schema.resources.insert(crate::DATA.to_owned(), data());
    schema.resources.insert(crate::FILE.to_owned(), file());
    schema
}

fn resource(description: &str, block: BlockSchema) -> ResourceSchema {
    ResourceSchema { version: 0, description: description.to_owned(), block }
}

fn id() -> A {
    A::computed(Type::String, "Unique identifier assigned on create.")
}

fn data() -> ResourceSchema {
    resource(
        "Stores a value in state, like Terraform's terraform_data.",
        BlockSchema::new()
            .attribute("input", A::optional(Type::Any, "A value copied to `output` on apply."))
            .attribute("triggers_replace", A::optional(Type::Any, "Replaces the resource when it changes.").force_new())
            .attribute("output", A::computed(Type::Any, "The value of `input` after apply."))
            .attribute("id", id()),
    )
}

fn file() -> ResourceSchema {
    resource(
        "A file on local disk.",
        BlockSchema::new()
            .attribute("path", A::required(Type::String, "Path of the file.").force_new())
            .attribute("content", A::required(Type::String, "Content of the file."))
            .attribute(
                "mode",
                A::optional(Type::String, "Octal permission bits.").with_default(Value::from(DEFAULT_MODE)),
            )
            .attribute("id", id()),
    )
}
