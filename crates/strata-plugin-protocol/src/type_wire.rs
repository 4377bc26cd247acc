//! Types on the wire, written the way cty (Terraform's type system) writes them:
//! `"string"`, `"number"`, `"bool"`, `"dynamic"` (any), `["list", T]`, `["set", T]`,
//! `["map", T]`, `["tuple", [T, ...]]`, `["object", {"name": T}]` and, when some attributes
//! are optional, `["object", {"name": T}, ["name"]]`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value as Json, json};
use strata_value::{ObjectAttr, Type};

/// A [`Type`] with its wire encoding.
#[derive(Clone, Debug, PartialEq)]
pub struct WireType(pub Type);

pub(crate) fn type_to_json(ty: &Type) -> Json {
    match ty {
        Type::String => json!("string"),
        Type::Number => json!("number"),
        Type::Bool => json!("bool"),
        Type::Any => json!("dynamic"),
        Type::List(t) => json!(["list", type_to_json(t)]),
        Type::Set(t) => json!(["set", type_to_json(t)]),
        Type::Map(t) => json!(["map", type_to_json(t)]),
        Type::Tuple(ts) => json!(["tuple", ts.iter().map(type_to_json).collect::<Vec<_>>()]),
        Type::Object(attrs) => {
            let types: serde_json::Map<String, Json> =
                attrs.iter().map(|(name, attr)| (name.clone(), type_to_json(&attr.ty))).collect();
            let optional: Vec<&String> = attrs.iter().filter(|(_, a)| a.optional).map(|(name, _)| name).collect();
            if optional.is_empty() { json!(["object", types]) } else { json!(["object", types, optional]) }
        }
    }
}

pub(crate) fn type_from_json(json: &Json) -> Result<Type, String> {
    match json {
        Json::String(name) => match name.as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "dynamic" => Ok(Type::Any),
            other => Err(format!("unknown primitive type {other:?}")),
        },
        Json::Array(parts) => {
            let kind = parts.first().and_then(Json::as_str).ok_or("a type array must start with its kind")?;
            let arg = parts.get(1).ok_or_else(|| format!("type {kind:?} needs an argument"))?;
            match kind {
                "list" => Ok(Type::list(type_from_json(arg)?)),
                "set" => Ok(Type::set(type_from_json(arg)?)),
                "map" => Ok(Type::map(type_from_json(arg)?)),
                "tuple" => {
                    let items = arg.as_array().ok_or("a tuple type takes an array of types")?;
                    Ok(Type::Tuple(items.iter().map(type_from_json).collect::<Result<_, _>>()?))
                }
                "object" => {
                    let fields = arg.as_object().ok_or("an object type takes an object of attribute types")?;
                    let optional: Vec<&str> = match parts.get(2) {
                        Some(names) => names
                            .as_array()
                            .ok_or("an object type's optional names must be an array")?
                            .iter()
                            .map(|n| n.as_str().ok_or("optional attribute names must be strings"))
                            .collect::<Result<_, _>>()?,
                        None => Vec::new(),
                    };
                    let mut attrs = BTreeMap::new();
                    for (name, ty) in fields {
                        let attr = ObjectAttr {
                            ty: type_from_json(ty)?,
                            optional: optional.contains(&name.as_str()),
                            default: None,
                        };
                        attrs.insert(name.clone(), attr);
                    }
                    Ok(Type::Object(std::sync::Arc::new(attrs)))
                }
                other => Err(format!("unknown type kind {other:?}")),
            }
        }
        other => Err(format!("a type is a string or an array, not {other}")),
    }
}

impl Serialize for WireType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        type_to_json(&self.0).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for WireType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WireType, D::Error> {
        let json = Json::deserialize(deserializer)?;
        type_from_json(&json).map(WireType).map_err(serde::de::Error::custom)
    }
}
