//! Types and type constraints.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::Value;

/// An attribute of an object type.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectAttr {
    pub ty: Type,
    /// `optional(T, default)` in a type constraint.
    pub optional: bool,
    pub default: Option<Value>,
}

/// A type, or a type constraint when it contains [`Type::Any`].
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    /// Shared, so copies are cheap: a validation scope holds its resource type's object type
    /// once per resource.
    Object(Arc<BTreeMap<String, ObjectAttr>>),
    Tuple(Vec<Type>),
    /// Any type (`any` in a constraint; the type of `null` and of unknowns we cannot type).
    Any,
}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }
    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }

    /// Object type whose attributes are all required.
    pub fn object(attrs: impl IntoIterator<Item = (String, Type)>) -> Type {
        Type::Object(Arc::new(
            attrs.into_iter().map(|(k, ty)| (k, ObjectAttr { ty, optional: false, default: None })).collect(),
        ))
    }

    /// The type of a value: lists of one element type are `list(T)`, others `tuple([...])`;
    /// maps whose values share a type are `map(T)`, others objects.
    pub fn of(value: &Value) -> Type {
        match value {
            Value::Null => Type::Any,
            Value::Bool(_) => Type::Bool,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::Unknown(t) => t.clone(),
            Value::Sensitive(v) => Type::of(v),
            Value::Set(items) => Type::set(common_type(items.iter().map(Type::of)).unwrap_or(Type::Any)),
            Value::List(items) => {
                let types: Vec<Type> = items.iter().map(Type::of).collect();
                match common_type(types.iter().cloned()) {
                    Some(t) if !items.is_empty() => Type::list(t),
                    _ if items.is_empty() => Type::Tuple(vec![]),
                    _ => Type::Tuple(types),
                }
            }
            Value::Map(entries) => {
                let attrs: BTreeMap<String, Type> = entries.iter().map(|(k, v)| (k.clone(), Type::of(v))).collect();
                match common_type(attrs.values().cloned()) {
                    Some(t) if !entries.is_empty() => Type::map(t),
                    _ => Type::object(attrs),
                }
            }
        }
    }

    /// True when the constraint contains `any` somewhere.
    pub fn has_any(&self) -> bool {
        match self {
            Type::Any => true,
            Type::List(t) | Type::Set(t) | Type::Map(t) => t.has_any(),
            Type::Object(attrs) => attrs.values().any(|a| a.ty.has_any()),
            Type::Tuple(ts) => ts.iter().any(Type::has_any),
            _ => false,
        }
    }

    /// A short name for messages: "string", "list of string", "object".
    pub fn friendly_name(&self) -> String {
        match self {
            Type::String => "string".into(),
            Type::Number => "number".into(),
            Type::Bool => "bool".into(),
            Type::List(t) => format!("list of {}", t.friendly_name()),
            Type::Set(t) => format!("set of {}", t.friendly_name()),
            Type::Map(t) => format!("map of {}", t.friendly_name()),
            Type::Object(_) => "object".into(),
            Type::Tuple(_) => "tuple".into(),
            Type::Any => "any value".into(),
        }
    }
}

/// The one type all given types share, if any (`Any` unifies with everything).
fn common_type(types: impl Iterator<Item = Type>) -> Option<Type> {
    let mut common: Option<Type> = None;
    for t in types {
        common = match common {
            None => Some(t),
            Some(Type::Any) => Some(t),
            Some(c) if t == Type::Any || c == t => Some(c),
            Some(_) => return None,
        };
    }
    common
}

/// Prints a type in constraint syntax: `list(string)`, `object({ a = number })`.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Any => f.write_str("any"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Set(t) => write!(f, "set({t})"),
            Type::Map(t) => write!(f, "map({t})"),
            Type::Tuple(ts) => {
                f.write_str("tuple([")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str("])")
            }
            Type::Object(attrs) => {
                f.write_str("object({")?;
                for (i, (k, a)) in attrs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    if a.optional {
                        write!(f, " {k} = optional({})", a.ty)?;
                    } else {
                        write!(f, " {k} = {}", a.ty)?;
                    }
                }
                f.write_str(" })")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_of_tells_lists_from_tuples() {
        let list = Value::List(vec![Value::from("a"), Value::from("b")]);
        assert_eq!(Type::of(&list), Type::list(Type::String));
        let tuple = Value::List(vec![Value::from("a"), Value::from(1.0)]);
        assert_eq!(Type::of(&tuple), Type::Tuple(vec![Type::String, Type::Number]));
        assert_eq!(Type::list(Type::map(Type::String)).to_string(), "list(map(string))");
    }
}
