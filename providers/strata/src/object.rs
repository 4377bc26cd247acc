//! Reading attributes out of resource objects, and comparing values the way planning needs.

use std::collections::BTreeMap;

use strata_value::Value;

static NULL: Value = Value::Null;

/// The attribute `name` of an object value; null when the value is not an object or lacks it
/// (state written by hand or by an older version may miss attributes).
pub fn attribute<'a>(object: &'a Value, name: &str) -> &'a Value {
    object.as_mapping().and_then(|entries| entries.get(name)).unwrap_or(&NULL)
}

/// Takes the attribute `name` out of an object's entries, null when absent.
pub fn take(entries: &mut BTreeMap<String, Value>, name: &str) -> Value {
    entries.remove(name).unwrap_or(Value::Null)
}

/// The entries of an object value, moved out (empty when it is not an object).
pub fn into_entries(object: Value) -> BTreeMap<String, Value> {
    match object.unmark().0 {
        Value::Map(entries) => entries,
        _ => BTreeMap::new(),
    }
}

/// True when the two values are provably the same, ignoring sensitive marks: adding or
/// removing a mark changes how a value is shown, not the object, so it must not force a
/// replacement. An unknown value is never provably equal to anything.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a.peel(), b.peel()) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => false,
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((kx, vx), (ky, vy))| kx == ky && same_value(vx, vy))
        }
        (x, y) => x == y,
    }
}

/// A known string attribute without its marks, or `None` (null, unknown, another kind).
pub fn known_str<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    attribute(object, name).as_str()
}

#[cfg(test)]
mod tests {
    use strata_value::Type;

    use super::*;

    #[test]
    fn same_value_ignores_marks_and_never_trusts_unknowns() {
        let plain = Value::List(vec![Value::from("a"), Value::from(1.0)]);
        let marked = Value::List(vec![Value::from("a").mark_sensitive(), Value::from(1.0)]).mark_sensitive();
        assert!(same_value(&plain, &marked));
        assert!(!same_value(&plain, &Value::List(vec![Value::from("a")])));
        assert!(!same_value(&Value::Unknown(Type::String), &Value::Unknown(Type::String)));
        assert!(!same_value(&Value::List(vec![Value::unknown()]), &Value::List(vec![Value::unknown()])));
        assert!(same_value(&Value::Null, &Value::Null));
    }
}
