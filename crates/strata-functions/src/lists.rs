//! Functions that build lists: `concat`, `flatten`, `distinct`, `reverse`, `slice`, `sort`,
//! `compact`, `chunklist`, `one`, `range`, `alltrue`, `anytrue`.

use strata_value::{Type, Value};

use crate::FunctionError;
use crate::args::{Args, convert_primitive, describe};

/// The most numbers `range` generates, against runaway configurations.
const RANGE_LIMIT: usize = 1024;

/// Unknowns: elements may be unknown and stay in place; an unknown list makes the result
/// unknown, as its length is not known.
pub(crate) fn concat(args: &Args) -> Result<Value, FunctionError> {
    let mut out = Vec::new();
    for index in 0..args.len() {
        if let Value::Unknown(_) = args.value(index) {
            return Ok(Value::Unknown(Type::list(Type::Any)));
        }
        out.extend(args.sequence(index)?.iter().cloned());
    }
    Ok(Value::List(out))
}

/// Lists inside lists, at any depth, are replaced by their elements.
pub(crate) fn flatten(args: &Args) -> Result<Value, FunctionError> {
    fn flatten_into(items: &[Value], out: &mut Vec<Value>) {
        for item in items {
            match item.as_sequence() {
                Some(inner) => flatten_into(inner, out),
                None => out.push(item.clone()),
            }
        }
    }
    let mut out = Vec::new();
    flatten_into(args.sequence(0)?, &mut out);
    Ok(Value::List(out))
}

/// Keeps the first of equal elements, in order.
pub(crate) fn distinct(args: &Args) -> Result<Value, FunctionError> {
    let mut out: Vec<Value> = Vec::new();
    for item in args.sequence(0)? {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    Ok(Value::List(out))
}

pub(crate) fn reverse(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::List(args.sequence(0)?.iter().rev().cloned().collect()))
}

/// Elements from `start_index` (included) to `end_index` (excluded).
pub(crate) fn slice(args: &Args) -> Result<Value, FunctionError> {
    let items = args.sequence(0)?;
    let start = args.integer(1)?;
    let end = args.integer(2)?;
    if start < 0 {
        return Err(args.invalid(1, "the start index must not be negative"));
    }
    if end > items.len() as i64 {
        return Err(
            args.invalid(2, format!("the end index must not be greater than the length of the list ({})", items.len()))
        );
    }
    if start > end {
        return Err(args.invalid(1, "the start index must not be greater than the end index"));
    }
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

/// Sorts strings lexically (numbers are converted to strings first, as in Terraform).
pub(crate) fn sort(args: &Args) -> Result<Value, FunctionError> {
    let mut strings = args.strings(0)?;
    strings.sort();
    Ok(Value::List(strings.into_iter().map(Value::from).collect()))
}

/// Drops null and empty-string elements.
pub(crate) fn compact(args: &Args) -> Result<Value, FunctionError> {
    let mut out = Vec::new();
    for (position, item) in args.sequence(0)?.iter().enumerate() {
        if item.is_null() {
            continue;
        }
        let text = args.element_string(0, position, item)?;
        if !text.is_empty() {
            out.push(Value::from(text));
        }
    }
    Ok(Value::List(out))
}

/// Splits a list into lists of `size` elements (the last may be shorter); size 0 gives the
/// whole list as one chunk.
pub(crate) fn chunklist(args: &Args) -> Result<Value, FunctionError> {
    let items = args.sequence(0)?;
    let size = args.integer(1)?;
    if size < 0 {
        return Err(args.invalid(1, "the size must not be negative"));
    }
    if size == 0 || items.is_empty() {
        return Ok(Value::List(if items.is_empty() { vec![] } else { vec![Value::List(items.to_vec())] }));
    }
    Ok(Value::List(items.chunks(size as usize).map(|chunk| Value::List(chunk.to_vec())).collect()))
}

/// Null for an empty list, the element of a one-element list, an error otherwise.
pub(crate) fn one(args: &Args) -> Result<Value, FunctionError> {
    match args.sequence(0)? {
        [] => Ok(Value::Null),
        [only] => Ok(only.clone()),
        more => Err(args.invalid(0, format!("must have no more than one element, but has {}", more.len()))),
    }
}

/// `range(limit)`, `range(start, limit)` or `range(start, limit, step)`; the limit is
/// excluded and the step defaults to 1, or -1 when counting down.
pub(crate) fn range(args: &Args) -> Result<Value, FunctionError> {
    let (start, limit) = match args.len() {
        1 => (0.0, args.number(0)?),
        _ => (args.number(0)?, args.number(1)?),
    };
    let step = match args.optional(2) {
        Some(_) => args.number(2)?,
        None if start > limit => -1.0,
        None => 1.0,
    };
    if step == 0.0 {
        return Err(args.invalid(2, "the step must not be zero"));
    }
    if step < 0.0 && start < limit {
        return Err(args.invalid(2, "the step must be positive when the start is less than the limit"));
    }
    if step > 0.0 && start > limit {
        return Err(args.invalid(2, "the step must be negative when the start is greater than the limit"));
    }
    let mut out = Vec::new();
    loop {
        let n = start + step * out.len() as f64;
        if (step > 0.0 && n >= limit) || (step < 0.0 && n <= limit) {
            break;
        }
        if out.len() == RANGE_LIMIT {
            return Err(args.failed(format!("more than {RANGE_LIMIT} numbers would be generated")));
        }
        out.push(Value::Number(n));
    }
    Ok(Value::List(out))
}

fn bools(args: &Args) -> Result<Vec<bool>, FunctionError> {
    let mut out = Vec::new();
    for (position, item) in args.sequence(0)?.iter().enumerate() {
        match convert_primitive(item, &Type::Bool) {
            Some(Value::Bool(b)) => out.push(b),
            _ if item.is_null() => return Err(args.invalid(0, format!("element {position} must not be null"))),
            _ => {
                let message = format!("element {position}: a bool is required, but have {}", describe(item));
                return Err(args.invalid(0, message));
            }
        }
    }
    Ok(out)
}

/// True when every element is true (or "true"); true for an empty list.
pub(crate) fn alltrue(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::Bool(bools(args)?.into_iter().all(|b| b)))
}

/// True when some element is true (or "true"); false for an empty list.
pub(crate) fn anytrue(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::Bool(bools(args)?.into_iter().any(|b| b)))
}
