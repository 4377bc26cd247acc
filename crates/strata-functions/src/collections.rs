//! Functions that look into lists and maps: `length`, `keys`, `values`, `lookup`, `merge`,
//! `contains`, `element`, `index`, `zipmap`, `transpose`, `coalesce`, `coalescelist`.

use std::collections::BTreeMap;

use strata_value::{Type, Value};

use crate::FunctionError;
use crate::args::{Args, convert_primitive, describe};

fn count(n: usize) -> Value {
    Value::Number(n as f64)
}

/// Unknowns: a list or map whose elements are unknown still has a known length; a set with
/// unknown elements does not (they may turn out equal), nor does an unknown string.
pub(crate) fn length(args: &Args) -> Result<Value, FunctionError> {
    match args.non_null(0)? {
        Value::String(s) => Ok(count(s.chars().count())),
        Value::List(items) => Ok(count(items.len())),
        Value::Map(entries) => Ok(count(entries.len())),
        Value::Set(items) if items.iter().all(Value::is_wholly_known) => Ok(count(items.len())),
        Value::Set(_) | Value::Unknown(_) => Ok(Value::Unknown(Type::Number)),
        other => Err(args.invalid(0, format!("a collection or string is required, but have {}", describe(other)))),
    }
}

/// Unknowns: a known map with unknown values has known keys.
pub(crate) fn keys(args: &Args) -> Result<Value, FunctionError> {
    if let Value::Unknown(_) = args.value(0) {
        return Ok(Value::Unknown(Type::list(Type::String)));
    }
    Ok(Value::List(args.mapping(0)?.keys().map(|k| Value::from(k.as_str())).collect()))
}

/// Unknowns: a known map gives its values in key order, unknown ones included.
pub(crate) fn values(args: &Args) -> Result<Value, FunctionError> {
    if let Value::Unknown(_) = args.value(0) {
        return Ok(Value::Unknown(Type::list(Type::Any)));
    }
    Ok(Value::List(args.mapping(0)?.values().cloned().collect()))
}

/// Unknowns: needs a known map and key; the value found (or the default) may be unknown.
pub(crate) fn lookup(args: &Args) -> Result<Value, FunctionError> {
    if !args.value(0).is_known() || !args.value(1).is_known() {
        return Ok(Value::Unknown(Type::Any));
    }
    let map = args.mapping(0)?;
    let key = args.string(1)?;
    match (map.get(&key), args.optional(2)) {
        (Some(found), _) => Ok(found.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => {
            Err(args.failed(format!("the given map has no key {} and no default value was given", args.quote(1, &key))))
        }
    }
}

/// Later maps win. Null arguments are skipped. Unknowns: values may be unknown; an unknown
/// map makes the result unknown, as its keys are not known.
pub(crate) fn merge(args: &Args) -> Result<Value, FunctionError> {
    let mut out = BTreeMap::new();
    for index in 0..args.len() {
        match args.value(index) {
            Value::Null => {}
            Value::Unknown(_) => return Ok(Value::Unknown(Type::map(Type::Any))),
            Value::Map(entries) => out.extend(entries.iter().map(|(k, v)| (k.clone(), v.clone()))),
            other => return Err(args.invalid(index, format!("a map is required, but have {}", describe(other)))),
        }
    }
    Ok(Value::Map(out))
}

/// Equal, or equal once `candidate` is converted to the type of `element` (so
/// `contains(["1"], 1)` is true).
pub(crate) fn same(element: &Value, candidate: &Value) -> bool {
    if element == candidate {
        return true;
    }
    let target = Type::of(element);
    matches!(target, Type::String | Type::Number | Type::Bool)
        && convert_primitive(candidate, &target).is_some_and(|converted| &converted == element)
}

/// Unknowns: true as soon as a known element matches; unknown when no known element matches
/// but some element (or the value sought) is unknown.
pub(crate) fn contains(args: &Args) -> Result<Value, FunctionError> {
    if !args.value(0).is_known() || !args.value(1).is_wholly_known() {
        return Ok(Value::Unknown(Type::Bool));
    }
    let items = args.sequence(0)?;
    let sought = args.value(1);
    if items.iter().any(|item| item.is_wholly_known() && same(item, sought)) {
        return Ok(Value::Bool(true));
    }
    if items.iter().all(Value::is_wholly_known) { Ok(Value::Bool(false)) } else { Ok(Value::Unknown(Type::Bool)) }
}

/// The index wraps around: `element(["a", "b"], 3)` is "b". Unknowns: needs a known list and
/// index; the element picked may be unknown.
pub(crate) fn element(args: &Args) -> Result<Value, FunctionError> {
    if !args.value(0).is_known() || !args.value(1).is_known() {
        return Ok(Value::Unknown(Type::Any));
    }
    let items = args.sequence(0)?;
    let index = args.integer(1)?;
    if items.is_empty() {
        return Err(args.invalid(0, "cannot use element function with an empty list"));
    }
    if index < 0 {
        return Err(args.invalid(1, "cannot use element function with a negative index"));
    }
    Ok(items[index as usize % items.len()].clone())
}

pub(crate) fn index(args: &Args) -> Result<Value, FunctionError> {
    let items = args.sequence(0)?;
    let sought = args.non_null(1)?;
    match items.iter().position(|item| same(item, sought)) {
        Some(position) => Ok(count(position)),
        None => Err(args.failed("the given value is not in the list")),
    }
}

pub(crate) fn zipmap(args: &Args) -> Result<Value, FunctionError> {
    let keys = args.strings(0)?;
    let values = args.sequence(1)?;
    if keys.len() != values.len() {
        return Err(args.invalid(
            1,
            format!("the number of values ({}) must match the number of keys ({})", values.len(), keys.len()),
        ));
    }
    Ok(Value::Map(keys.into_iter().zip(values.iter().cloned()).collect()))
}

/// `{ a = ["x", "y"], b = ["x"] }` becomes `{ x = ["a", "b"], y = ["a"] }`.
pub(crate) fn transpose(args: &Args) -> Result<Value, FunctionError> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, list) in args.mapping(0)? {
        let items = list.as_sequence().ok_or_else(|| {
            args.invalid(
                0,
                format!("the value of key {} must be a list of strings, but is {}", args.quote(0, key), describe(list)),
            )
        })?;
        for item in items {
            match convert_primitive(item, &Type::String) {
                Some(Value::String(s)) => out.entry(s).or_default().push(Value::from(key.as_str())),
                _ => {
                    let message = format!(
                        "the list under key {} must hold strings, but has {}",
                        args.quote(0, key),
                        describe(item)
                    );
                    return Err(args.invalid(0, message));
                }
            }
        }
    }
    Ok(Value::Map(out.into_iter().map(|(k, v)| (k, Value::List(v))).collect()))
}

/// The first argument that is neither null nor an empty string. Primitives of mixed types
/// give a string (`coalesce(1, "a")` is "1"). Unknowns: an unknown before the first usable
/// argument makes the result unknown; unknowns after it do not matter.
pub(crate) fn coalesce(args: &Args) -> Result<Value, FunctionError> {
    let primitive = |t: &Type| matches!(t, Type::String | Type::Number | Type::Bool);
    let types: Vec<Type> = args.values.iter().filter(|v| !v.is_null()).map(Type::of).collect();
    let mixed_primitives = types.iter().all(primitive) && types.windows(2).any(|pair| pair[0] != pair[1]);
    for value in &args.values {
        match value {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::Unknown(t) => return Ok(Value::Unknown(if mixed_primitives { Type::String } else { t.clone() })),
            found if mixed_primitives => return Ok(convert_primitive(found, &Type::String).unwrap_or(found.clone())),
            found => return Ok(found.clone()),
        }
    }
    Err(args.failed("no non-null, non-empty-string arguments"))
}

/// The first non-empty list.
pub(crate) fn coalescelist(args: &Args) -> Result<Value, FunctionError> {
    for index in 0..args.len() {
        if !args.sequence(index)?.is_empty() {
            return Ok(args.value(index).clone());
        }
    }
    Err(args.failed("no non-empty list arguments"))
}
