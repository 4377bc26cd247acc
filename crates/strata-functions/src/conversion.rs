//! Type conversion functions: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`, `tomap`.
//! Null converts to null.

use strata_value::{Type, Value, convert};

use crate::FunctionError;
use crate::args::{Args, describe};

fn primitive(args: &Args, target: &Type) -> Result<Value, FunctionError> {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        value => args.primitive(0, value, target),
    }
}

pub(crate) fn tostring(args: &Args) -> Result<Value, FunctionError> {
    primitive(args, &Type::String)
}

pub(crate) fn tonumber(args: &Args) -> Result<Value, FunctionError> {
    primitive(args, &Type::Number)
}

pub(crate) fn tobool(args: &Args) -> Result<Value, FunctionError> {
    primitive(args, &Type::Bool)
}

/// The one type all non-null elements can take: their common type, or string when they are
/// primitives of different types.
fn element_type<'v>(args: &Args, items: impl Iterator<Item = &'v Value>) -> Result<Type, FunctionError> {
    let mut types: Vec<Type> = items.map(Type::of).filter(|t| *t != Type::Any).collect();
    types.dedup();
    let primitive = |t: &Type| matches!(t, Type::String | Type::Number | Type::Bool);
    match types.as_slice() {
        [] => Ok(Type::Any),
        [only] => Ok(only.clone()),
        more if more.iter().all(|t| more[0] == *t) => Ok(more[0].clone()),
        more if more.iter().all(primitive) => Ok(Type::String),
        _ => Err(args.invalid(0, "all elements must have the same type")),
    }
}

fn converted(args: &Args, value: &Value, target: Type) -> Result<Value, FunctionError> {
    convert(value, &target).map_err(|error| args.invalid(0, error.to_string()))
}

/// Unknowns: elements may be unknown and keep their place.
pub(crate) fn tolist(args: &Args) -> Result<Value, FunctionError> {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        Value::Unknown(_) => Ok(Value::Unknown(Type::list(Type::Any))),
        Value::List(items) | Value::Set(items) => {
            let element = element_type(args, items.iter())?;
            converted(args, &Value::List(items.clone()), Type::list(element))
        }
        other => Err(args.invalid(0, format!("a list or set is required, but have {}", describe(other)))),
    }
}

pub(crate) fn toset(args: &Args) -> Result<Value, FunctionError> {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) | Value::Set(items) => {
            let element = element_type(args, items.iter())?;
            converted(args, &Value::List(items.clone()), Type::set(element))
        }
        other => Err(args.invalid(0, format!("a list or set is required, but have {}", describe(other)))),
    }
}

/// Unknowns: values may be unknown and keep their key.
pub(crate) fn tomap(args: &Args) -> Result<Value, FunctionError> {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        Value::Unknown(_) => Ok(Value::Unknown(Type::map(Type::Any))),
        Value::Map(entries) => {
            let element = element_type(args, entries.values())?;
            converted(args, args.value(0), Type::map(element))
        }
        other => Err(args.invalid(0, format!("a map or object is required, but have {}", describe(other)))),
    }
}
