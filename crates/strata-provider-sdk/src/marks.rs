//! Sensitive marks across a typed call: a model holds plain values, so the marks the engine
//! sent are put back on the answer made from them.

use strata_value::Value;

/// `new` with a sensitive mark wherever `old` has one at the same path (attribute names,
/// list indexes; a set that held a marked element is marked whole). Marks only ever get
/// added: a value the provider derived from a secret is still shown as one.
pub(crate) fn keep_marks(new: Value, old: &Value) -> Value {
    let marked = old.is_sensitive();
    let new = match (new, old.peel()) {
        (Value::Sensitive(inner), old) => Value::Sensitive(Box::new(keep_marks(*inner, old))),
        (Value::Map(entries), Value::Map(old_entries)) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let value = match old_entries.get(&key) {
                        Some(old) => keep_marks(value, old),
                        None => value,
                    };
                    (key, value)
                })
                .collect(),
        ),
        (Value::List(items), Value::List(old_items)) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| match old_items.get(i) {
                    Some(old) => keep_marks(item, old),
                    None => item,
                })
                .collect(),
        ),
        (Value::Set(items), Value::Set(old_items)) if old_items.iter().any(Value::contains_sensitive) => {
            Value::Set(items).mark_sensitive()
        }
        (new, _) => new,
    };
    new.with_sensitive(marked)
}
