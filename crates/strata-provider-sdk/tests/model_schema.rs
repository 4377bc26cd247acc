//! `#[derive(Model)]` schemas: each model's derived block against the one written by hand.

#![allow(dead_code)] // the models are only ever looked at, not built

use std::collections::{BTreeMap, BTreeSet};

use strata_provider_sdk::{Model, Planned, Value};
use strata_schema::{AttributeSchema as A, BlockSchema, NestedBlockSchema, Nesting};
use strata_value::{ObjectAttr, Type};

/// A value that misbehaves on request.
#[derive(Model)]
struct Thing {
    /// Any name.
    #[strata(required, force_new)]
    name: String,
    /// What apply does.
    #[strata(optional, allowed = "ok,fail")]
    behavior: Option<String>,
    /// The object's id.
    #[strata(computed)]
    id: Option<String>,
    /// Never shown.
    #[strata(sensitive)]
    secret: Option<String>,
}

/// Every field type.
///
/// Second paragraph.
#[derive(Model)]
struct Kinds {
    text: String,
    count: i64,
    small: u32,
    ratio: f64,
    flag: bool,
    list: Vec<String>,
    set: BTreeSet<String>,
    map: BTreeMap<String, i64>,
    maybe: Option<Vec<bool>>,
    anything: Value,
    /// An object attribute: a model without `block`.
    address: Option<Address>,
    #[strata(computed)]
    later: Planned<String>,
    /// A keyword name.
    r#type: String,
    #[strata(rename = "renamed", description = "Not the doc comment.")]
    /// The doc comment.
    original: String,
    #[strata(default = -3)]
    offset: i64,
    #[strata(optional, computed, allowed = ["a", "b"], default = "a")]
    mode: Option<String>,
    #[strata(optional, default = true)]
    enabled: bool,
}

#[derive(Model)]
struct Address {
    street: String,
    number: Option<u16>,
}

/// Nested blocks of every nesting.
#[derive(Model)]
struct Blocks {
    /// Exactly one.
    #[strata(block)]
    settings: Settings,
    /// At most one.
    #[strata(block)]
    timeouts: Option<Timeouts>,
    /// In order.
    #[strata(block, min_items = 1, max_items = 3)]
    disk: Vec<Settings>,
    /// Labelled.
    #[strata(block)]
    node_group: BTreeMap<String, NodeGroup>,
}

#[derive(Model)]
struct Settings {
    /// Size in GiB.
    #[strata(force_new)]
    size: u32,
}

#[derive(Model)]
struct Timeouts {
    create: Option<String>,
}

#[derive(Model)]
struct NodeGroup {
    #[strata(required, force_new, allowed = "CORE,TASK")]
    role: String,
    #[strata(computed)]
    private_ips: Option<Vec<String>>,
    #[strata(block)]
    disk: Vec<Settings>,
}

fn settings() -> BlockSchema {
    BlockSchema::new().attribute("size", A::required(Type::Number, "Size in GiB.").force_new())
}

/// `block` with the nested block type `name` added.
fn with_block(
    mut block: BlockSchema,
    name: &str,
    nesting: Nesting,
    min_items: usize,
    max_items: Option<usize>,
    description: &str,
    inner: BlockSchema,
) -> BlockSchema {
    let nested = NestedBlockSchema { nesting, block: inner, min_items, max_items, description: description.into() };
    block.blocks.insert(name.to_owned(), nested);
    block
}

fn check(name: &str, derived: BlockSchema, expected: BlockSchema) {
    for (attribute, schema) in &expected.attributes {
        assert_eq!(derived.attributes.get(attribute), Some(schema), "{name}: attribute {attribute}");
    }
    for (block, schema) in &expected.blocks {
        assert_eq!(derived.blocks.get(block), Some(schema), "{name}: block {block}");
    }
    assert_eq!(derived, expected, "{name}: nothing more, nothing less");
}

#[test]
fn derived_schemas_equal_the_hand_written_ones() {
    let address = Type::Object(std::sync::Arc::new(BTreeMap::from([
        ("street".to_owned(), ObjectAttr { ty: Type::String, optional: false, default: None }),
        ("number".to_owned(), ObjectAttr { ty: Type::Number, optional: true, default: None }),
    ])));
    let node_group = with_block(
        BlockSchema::new()
            .attribute("role", A::required(Type::String, "").force_new().allowed(&["CORE", "TASK"]))
            .attribute("private_ips", A::computed(Type::list(Type::String), "")),
        "disk",
        Nesting::List,
        0,
        None,
        "",
        settings(),
    );
    let mut blocks =
        with_block(BlockSchema::new(), "settings", Nesting::Single, 1, Some(1), "Exactly one.", settings());
    blocks = with_block(
        blocks,
        "timeouts",
        Nesting::Single,
        0,
        Some(1),
        "At most one.",
        BlockSchema::new().attribute("create", A::optional(Type::String, "")),
    );
    blocks = with_block(blocks, "disk", Nesting::List, 1, Some(3), "In order.", settings());
    blocks = with_block(blocks, "node_group", Nesting::Map, 0, None, "Labelled.", node_group);

    let table: [(&str, BlockSchema, BlockSchema); 3] = [
        (
            "Thing",
            Thing::schema(),
            BlockSchema::new()
                .attribute("name", A::required(Type::String, "Any name.").force_new())
                .attribute("behavior", A::optional(Type::String, "What apply does.").allowed(&["ok", "fail"]))
                .attribute("id", A::computed(Type::String, "The object's id."))
                .attribute("secret", A::optional(Type::String, "Never shown.").sensitive()),
        ),
        (
            "Kinds",
            Kinds::schema(),
            BlockSchema::new()
                .attribute("text", A::required(Type::String, ""))
                .attribute("count", A::required(Type::Number, ""))
                .attribute("small", A::required(Type::Number, ""))
                .attribute("ratio", A::required(Type::Number, ""))
                .attribute("flag", A::required(Type::Bool, ""))
                .attribute("list", A::required(Type::list(Type::String), ""))
                .attribute("set", A::required(Type::set(Type::String), ""))
                .attribute("map", A::required(Type::map(Type::Number), ""))
                .attribute("maybe", A::optional(Type::list(Type::Bool), ""))
                .attribute("anything", A::optional(Type::Any, ""))
                .attribute("address", A::optional(address, "An object attribute: a model without `block`."))
                .attribute("later", A::computed(Type::String, ""))
                .attribute("type", A::required(Type::String, "A keyword name."))
                .attribute("renamed", A::required(Type::String, "Not the doc comment."))
                .attribute("offset", A::optional(Type::Number, "").with_default(Value::Number(-3.0)))
                .attribute("mode", {
                    let mut mode = A::optional(Type::String, "").allowed(&["a", "b"]).with_default(Value::from("a"));
                    mode.computed = true;
                    mode
                })
                .attribute("enabled", A::optional(Type::Bool, "").with_default(Value::Bool(true))),
        ),
        ("Blocks", Blocks::schema(), blocks),
    ];
    for (name, derived, expected) in table {
        check(name, derived, expected);
    }
}

#[test]
fn the_struct_doc_comment_is_the_description() {
    assert_eq!(Thing::description(), "A value that misbehaves on request.");
    assert_eq!(Kinds::description(), "Every field type.\n\nSecond paragraph.");
    assert_eq!(Address::description(), "");
}
