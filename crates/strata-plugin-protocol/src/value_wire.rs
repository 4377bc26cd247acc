//! Values on the wire: plain JSON for what JSON can say, and three marker objects for what it
//! cannot:
//!
//! | value | wire |
//! |---|---|
//! | null, bool, number, string | the JSON value |
//! | list or tuple | array |
//! | map or object | object; a key starting with `$` gets one more `$` (`"$x"` → `"$$x"`) |
//! | set | `{"$set": [...]}` |
//! | unknown (known after apply) | `{"$unknown": TYPE}` |
//! | sensitive | `{"$sensitive": VALUE}` |
//!
//! Because real keys that start with `$` are escaped, an object whose only key is one of
//! the markers is always a marker. Numbers must be finite.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value as Json, json};
use strata_value::Value;

use crate::type_wire::{type_from_json, type_to_json};

/// A [`Value`] with its wire encoding.
#[derive(Clone, Debug, PartialEq)]
pub struct WireValue(pub Value);

pub(crate) fn value_to_json(value: &Value) -> Result<Json, String> {
    Ok(match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        // Whole numbers are written without a fraction (`3`, not `3.0`), as people write them.
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => Json::from(*n as i64),
        Value::Number(n) => {
            serde_json::Number::from_f64(*n).map(Json::Number).ok_or_else(|| format!("{n} is not a finite number"))?
        }
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(value_to_json).collect::<Result<_, _>>()?),
        Value::Set(items) => json!({ "$set": items.iter().map(value_to_json).collect::<Result<Vec<_>, _>>()? }),
        Value::Map(entries) => {
            let mut object = serde_json::Map::with_capacity(entries.len());
            for (key, item) in entries {
                let key = if key.starts_with('$') { format!("${key}") } else { key.clone() };
                object.insert(key, value_to_json(item)?);
            }
            Json::Object(object)
        }
        Value::Unknown(ty) => json!({ "$unknown": type_to_json(ty) }),
        Value::Sensitive(inner) => json!({ "$sensitive": value_to_json(inner)? }),
    })
}

pub(crate) fn value_from_json(json: &Json) -> Result<Value, String> {
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.as_f64().ok_or_else(|| format!("{n} is not representable"))?),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(value_from_json).collect::<Result<_, _>>()?),
        Json::Object(object) => {
            if object.len() == 1 {
                let (key, inner) = object.iter().next().expect("one entry");
                match key.as_str() {
                    "$set" => {
                        let items = inner.as_array().ok_or("\"$set\" takes an array")?;
                        return Ok(Value::set(items.iter().map(value_from_json).collect::<Result<Vec<_>, _>>()?));
                    }
                    "$unknown" => return Ok(Value::Unknown(type_from_json(inner)?)),
                    "$sensitive" => return Ok(Value::Sensitive(Box::new(value_from_json(inner)?))),
                    _ => {}
                }
            }
            let mut entries = BTreeMap::new();
            for (key, item) in object {
                let key = match key.strip_prefix('$') {
                    Some(rest) if rest.starts_with('$') => rest.to_owned(),
                    Some(_) => {
                        return Err(format!(
                            "unescaped key {key:?}: a real key starting with $ is written $${}",
                            &key[1..]
                        ));
                    }
                    None => key.clone(),
                };
                entries.insert(key, value_from_json(item)?);
            }
            Value::Map(entries)
        }
    })
}

impl Serialize for WireValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        value_to_json(&self.0).map_err(serde::ser::Error::custom)?.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WireValue, D::Error> {
        let json = Json::deserialize(deserializer)?;
        value_from_json(&json).map(WireValue).map_err(serde::de::Error::custom)
    }
}

impl From<Value> for WireValue {
    fn from(value: Value) -> WireValue {
        WireValue(value)
    }
}
