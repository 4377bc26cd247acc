//! Converting a value to a type (the rules of Terraform's `convert` package, simplified).

use std::collections::BTreeMap;
use std::fmt;

use crate::{Type, Value, format_number};

/// Why a value does not fit a type, and where inside the value.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvertError {
    /// Path into the value, e.g. `["core"].count`; empty at the top level.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "at {}: {}", self.path, self.message) }
    }
}

/// Converts `value` to `target`, keeping unknowns and marks.
pub fn convert(value: &Value, target: &Type) -> Result<Value, ConvertError> {
    convert_at(value, target, &mut String::new())
}

fn fail(path: &str, message: String) -> Result<Value, ConvertError> {
    Err(ConvertError { path: path.to_owned(), message })
}

fn convert_at(value: &Value, target: &Type, path: &mut String) -> Result<Value, ConvertError> {
    match (value, target) {
        (Value::Sensitive(inner), _) => Ok(convert_at(inner, target, path)?.mark_sensitive()),
        (Value::Null, _) => Ok(Value::Null),
        (Value::Unknown(_), Type::Any) => Ok(value.clone()),
        (Value::Unknown(_), _) => Ok(Value::Unknown(target.clone())),
        (_, Type::Any) => Ok(value.clone()),
        (Value::String(_), Type::String) | (Value::Number(_), Type::Number) | (Value::Bool(_), Type::Bool) => {
            Ok(value.clone())
        }
        (Value::Number(n), Type::String) => Ok(Value::String(format_number(*n))),
        (Value::Bool(b), Type::String) => Ok(Value::String(b.to_string())),
        (Value::String(s), Type::Number) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Number(n)),
            _ => fail(path, format!("a number is required, but \"{s}\" is not a number")),
        },
        (Value::String(s), Type::Bool) => match s.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => fail(path, format!("a bool is required, but \"{s}\" is not \"true\" or \"false\"")),
        },
        (Value::List(items) | Value::Set(items), Type::List(elem) | Type::Set(elem)) => {
            let converted = convert_items(items, elem, path)?;
            Ok(if matches!(target, Type::Set(_)) { Value::set(converted) } else { Value::List(converted) })
        }
        (Value::List(items), Type::Tuple(types)) => {
            if items.len() != types.len() {
                return fail(
                    path,
                    format!("a tuple of {} elements is required, but this has {}", types.len(), items.len()),
                );
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (item, ty)) in items.iter().zip(types).enumerate() {
                out.push(with_segment(path, &format!("[{i}]"), |p| convert_at(item, ty, p))?);
            }
            Ok(Value::List(out))
        }
        (Value::Map(entries), Type::Map(elem)) => {
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                out.insert(k.clone(), with_segment(path, &format!("[{k:?}]"), |p| convert_at(v, elem, p))?);
            }
            Ok(Value::Map(out))
        }
        (Value::Map(entries), Type::Object(attrs)) => {
            let mut out = BTreeMap::new();
            for (name, attr) in attrs.iter() {
                match entries.get(name) {
                    Some(v) if !(v.is_null() && attr.optional) => {
                        out.insert(
                            name.clone(),
                            with_segment(path, &format!(".{name}"), |p| convert_at(v, &attr.ty, p))?,
                        );
                    }
                    _ if attr.optional => {
                        out.insert(name.clone(), attr.default.clone().unwrap_or(Value::Null));
                    }
                    _ => return fail(path, format!("attribute \"{name}\" is required")),
                }
            }
            Ok(Value::Map(out))
        }
        _ => fail(path, format!("{} required, but have {}", article(target), value_kind(value))),
    }
}

fn convert_items(items: &[Value], elem: &Type, path: &mut String) -> Result<Vec<Value>, ConvertError> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| with_segment(path, &format!("[{i}]"), |p| convert_at(item, elem, p)))
        .collect()
}

fn with_segment<T>(path: &mut String, segment: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = path.len();
    path.push_str(segment);
    let out = f(path);
    path.truncate(len);
    out
}

fn article(t: &Type) -> String {
    let name = t.friendly_name();
    match name.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {name}"),
        _ => format!("a {name}"),
    }
}

fn value_kind(value: &Value) -> String {
    let t = Type::of(value);
    match t {
        Type::Tuple(_) => "a tuple".into(),
        Type::Object(_) => "an object".into(),
        t => article(&t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: Value, target: Type, expected: Result<Value, &str>) {
        let got = convert(&value, &target).map_err(|e| e.to_string());
        assert_eq!(got, expected.map_err(str::to_owned), "{value} to {target}");
    }

    #[test]
    fn conversion_table() {
        check(Value::from(2.0), Type::String, Ok(Value::from("2")));
        check(Value::from("2.5"), Type::Number, Ok(Value::from(2.5)));
        check(Value::from("x"), Type::Number, Err("a number is required, but \"x\" is not a number"));
        check(Value::from("true"), Type::Bool, Ok(Value::from(true)));
        check(
            Value::List(vec![Value::from(1.0), Value::from("a")]),
            Type::list(Type::String),
            Ok(Value::List(vec![Value::from("1"), Value::from("a")])),
        );
        check(
            Value::List(vec![Value::from("b"), Value::from("a"), Value::from("b")]),
            Type::set(Type::String),
            Ok(Value::set(vec![Value::from("a"), Value::from("b")])),
        );
        check(Value::from(true), Type::list(Type::String), Err("a list of string required, but have a bool"));
        check(Value::Unknown(Type::Any), Type::Number, Ok(Value::Unknown(Type::Number)));
        check(Value::from("s").mark_sensitive(), Type::String, Ok(Value::from("s").mark_sensitive()));
        let object = Type::Object(std::sync::Arc::new(
            [
                ("a".to_owned(), crate::ObjectAttr { ty: Type::Number, optional: false, default: None }),
                (
                    "b".to_owned(),
                    crate::ObjectAttr { ty: Type::String, optional: true, default: Some(Value::from("d")) },
                ),
            ]
            .into_iter()
            .collect(),
        ));
        check(
            Value::map([("a".to_owned(), Value::from("1"))]),
            object.clone(),
            Ok(Value::map([("a".to_owned(), Value::from(1.0)), ("b".to_owned(), Value::from("d"))])),
        );
        check(Value::map([]), object, Err("attribute \"a\" is required"));
        check(
            Value::List(vec![Value::map([("n".to_owned(), Value::from("x"))])]),
            Type::list(Type::map(Type::Number)),
            Err("at [0][\"n\"]: a number is required, but \"x\" is not a number"),
        );
    }
}
