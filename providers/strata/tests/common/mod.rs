//! Helpers shared by the test files.

use strata_value::Value;

/// An object value from its attributes.
pub fn obj(entries: &[(&str, Value)]) -> Value {
    Value::map(entries.iter().map(|(name, value)| ((*name).to_owned(), value.clone())))
}
