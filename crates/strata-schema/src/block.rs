//! Block schemas.

use std::collections::BTreeMap;

use strata_value::{ObjectAttr, Type, Value};

/// One argument or computed attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributeSchema {
    pub ty: Type,
    pub description: String,
    /// Must be set in configuration.
    pub required: bool,
    /// May be set in configuration.
    pub optional: bool,
    /// Set by the provider (when also optional: if the user leaves it unset).
    pub computed: bool,
    pub sensitive: bool,
    /// Changing it replaces the object.
    pub force_new: bool,
    /// When not empty, the only values allowed (checked when the value is known).
    pub allowed_values: Vec<String>,
    /// Used when the argument is not set.
    pub default: Option<Value>,
}

impl AttributeSchema {
    fn new(ty: Type, description: &str) -> AttributeSchema {
        AttributeSchema {
            ty,
            description: description.to_owned(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            force_new: false,
            allowed_values: Vec::new(),
            default: None,
        }
    }

    pub fn required(ty: Type, description: &str) -> AttributeSchema {
        AttributeSchema { required: true, ..AttributeSchema::new(ty, description) }
    }

    pub fn optional(ty: Type, description: &str) -> AttributeSchema {
        AttributeSchema { optional: true, ..AttributeSchema::new(ty, description) }
    }

    pub fn computed(ty: Type, description: &str) -> AttributeSchema {
        AttributeSchema { computed: true, ..AttributeSchema::new(ty, description) }
    }

    pub fn sensitive(mut self) -> AttributeSchema {
        self.sensitive = true;
        self
    }

    pub fn force_new(mut self) -> AttributeSchema {
        self.force_new = true;
        self
    }

    pub fn allowed(mut self, values: &[&str]) -> AttributeSchema {
        self.allowed_values = values.iter().map(|v| (*v).to_owned()).collect();
        self
    }

    pub fn with_default(mut self, value: Value) -> AttributeSchema {
        self.default = Some(value);
        self
    }

    /// True when configuration may set it.
    pub fn is_argument(&self) -> bool {
        self.required || self.optional
    }
}

/// How a nested block type repeats, and so what value it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one block: an object (or null).
    Single,
    /// Ordered blocks: a list of objects.
    List,
    /// Blocks with one label each: a map from label to object (`node_group "core" { }`).
    Map,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlockSchema {
    pub nesting: Nesting,
    pub block: BlockSchema,
    pub min_items: usize,
    pub max_items: Option<usize>,
    pub description: String,
}

/// Arguments and nested blocks of a block body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockSchema {
    pub attributes: BTreeMap<String, AttributeSchema>,
    pub blocks: BTreeMap<String, NestedBlockSchema>,
}

impl BlockSchema {
    pub fn new() -> BlockSchema {
        BlockSchema::default()
    }

    pub fn attribute(mut self, name: &str, schema: AttributeSchema) -> BlockSchema {
        self.attributes.insert(name.to_owned(), schema);
        self
    }

    pub fn block(
        mut self,
        name: &str,
        nesting: Nesting,
        min_items: usize,
        description: &str,
        block: BlockSchema,
    ) -> BlockSchema {
        let max_items = (nesting == Nesting::Single).then_some(1);
        self.blocks.insert(
            name.to_owned(),
            NestedBlockSchema { nesting, block, min_items, max_items, description: description.to_owned() },
        );
        self
    }

    /// The object type of the value this block evaluates to.
    pub fn value_type(&self) -> Type {
        let mut attrs: std::collections::BTreeMap<String, ObjectAttr> = self
            .attributes
            .iter()
            .map(|(name, a)| (name.clone(), ObjectAttr { ty: a.ty.clone(), optional: !a.required, default: None }))
            .collect();
        for (name, nested) in &self.blocks {
            let inner = nested.block.value_type();
            let ty = match nested.nesting {
                Nesting::Single => inner,
                Nesting::List => Type::list(inner),
                Nesting::Map => Type::map(inner),
            };
            attrs.insert(name.clone(), ObjectAttr { ty, optional: true, default: None });
        }
        Type::Object(std::sync::Arc::new(attrs))
    }

    /// Names of everything that may be written in the block (for suggestions).
    pub fn argument_names(&self) -> impl Iterator<Item = &str> {
        self.attributes.iter().filter(|(_, a)| a.is_argument()).map(|(n, _)| n.as_str())
    }
}
