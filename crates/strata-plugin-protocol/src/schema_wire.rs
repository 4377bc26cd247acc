//! Schemas on the wire: what `get_schema` returns. Field names follow the attribute flags of
//! [`strata_schema::AttributeSchema`]; flags that are false and lists that are empty are
//! left out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use strata_schema::{AttributeSchema, BlockSchema, NestedBlockSchema, Nesting, ProviderSchema, ResourceSchema};

use crate::{WireType, WireValue};

/// A provider's whole schema, plus how many requests it wants in flight at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireSchema {
    /// The `provider "name" { }` block.
    pub provider: WireBlock,
    #[serde(default)]
    pub resources: BTreeMap<String, WireResource>,
    #[serde(default)]
    pub data_sources: BTreeMap<String, WireResource>,
    /// Operations the provider accepts at once (`null`: only the engine's `--parallelism`).
    #[serde(default)]
    pub concurrency_limit: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireResource {
    /// The schema version the provider's state is written in (see `upgrade_resource_state`).
    #[serde(default)]
    pub version: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub block: WireBlock,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WireBlock {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, WireAttribute>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub blocks: BTreeMap<String, WireNestedBlock>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireAttribute {
    #[serde(rename = "type")]
    pub ty: WireType,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub computed: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_new: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<WireValue>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireNestedBlock {
    /// `single`, `list` or `map` (one label per block).
    pub nesting: String,
    pub block: WireBlock,
    #[serde(default)]
    pub min_items: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl WireSchema {
    pub fn new(schema: &ProviderSchema, concurrency_limit: Option<usize>) -> WireSchema {
        let resources = |map: &BTreeMap<String, ResourceSchema>| {
            map.iter().map(|(name, r)| (name.clone(), WireResource::from(r))).collect()
        };
        WireSchema {
            provider: WireBlock::from(&schema.config),
            resources: resources(&schema.resources),
            data_sources: resources(&schema.data_sources),
            concurrency_limit,
        }
    }

    /// The schema as the engine's validator and planner use it.
    ///
    /// # Errors
    /// A nested block with a nesting mode this version does not know.
    pub fn to_schema(&self) -> Result<ProviderSchema, String> {
        let resources = |map: &BTreeMap<String, WireResource>| -> Result<BTreeMap<String, ResourceSchema>, String> {
            map.iter().map(|(name, r)| Ok((name.clone(), r.to_schema()?))).collect()
        };
        Ok(ProviderSchema {
            config: self.provider.to_schema()?,
            resources: resources(&self.resources)?,
            data_sources: resources(&self.data_sources)?,
        })
    }
}

impl From<&ResourceSchema> for WireResource {
    fn from(r: &ResourceSchema) -> WireResource {
        WireResource { version: r.version, description: r.description.clone(), block: WireBlock::from(&r.block) }
    }
}

impl WireResource {
    fn to_schema(&self) -> Result<ResourceSchema, String> {
        Ok(ResourceSchema {
            version: self.version,
            description: self.description.clone(),
            block: self.block.to_schema()?,
        })
    }
}

impl From<&BlockSchema> for WireBlock {
    fn from(block: &BlockSchema) -> WireBlock {
        WireBlock {
            attributes: block.attributes.iter().map(|(name, a)| (name.clone(), WireAttribute::from(a))).collect(),
            blocks: block
                .blocks
                .iter()
                .map(|(name, b)| {
                    let nesting = match b.nesting {
                        Nesting::Single => "single",
                        Nesting::List => "list",
                        Nesting::Map => "map",
                    };
                    let wire = WireNestedBlock {
                        nesting: nesting.to_owned(),
                        block: WireBlock::from(&b.block),
                        min_items: b.min_items,
                        max_items: b.max_items,
                        description: b.description.clone(),
                    };
                    (name.clone(), wire)
                })
                .collect(),
        }
    }
}

impl WireBlock {
    fn to_schema(&self) -> Result<BlockSchema, String> {
        let mut block = BlockSchema::new();
        for (name, a) in &self.attributes {
            block.attributes.insert(name.clone(), a.to_schema());
        }
        for (name, b) in &self.blocks {
            let nesting = match b.nesting.as_str() {
                "single" => Nesting::Single,
                "list" => Nesting::List,
                "map" => Nesting::Map,
                other => return Err(format!("block \"{name}\" has an unknown nesting mode {other:?}")),
            };
            let nested = NestedBlockSchema {
                nesting,
                block: b.block.to_schema()?,
                min_items: b.min_items,
                max_items: b.max_items,
                description: b.description.clone(),
            };
            block.blocks.insert(name.clone(), nested);
        }
        Ok(block)
    }
}

impl From<&AttributeSchema> for WireAttribute {
    fn from(a: &AttributeSchema) -> WireAttribute {
        WireAttribute {
            ty: WireType(a.ty.clone()),
            description: a.description.clone(),
            required: a.required,
            optional: a.optional,
            computed: a.computed,
            sensitive: a.sensitive,
            force_new: a.force_new,
            allowed_values: a.allowed_values.clone(),
            default: a.default.clone().map(WireValue),
        }
    }
}

impl WireAttribute {
    fn to_schema(&self) -> AttributeSchema {
        AttributeSchema {
            ty: self.ty.0.clone(),
            description: self.description.clone(),
            required: self.required,
            optional: self.optional,
            computed: self.computed,
            sensitive: self.sensitive,
            force_new: self.force_new,
            allowed_values: self.allowed_values.clone(),
            default: self.default.clone().map(|v| v.0),
        }
    }
}
