//! The value type.

use std::collections::BTreeMap;
use std::fmt;

use crate::{Type, format_number};

/// A Strata value. See the crate docs for unknowns and sensitive marks.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// A list or tuple.
    List(Vec<Value>),
    /// A set; use [`Value::set`] to build one so elements are deduplicated and ordered.
    Set(Vec<Value>),
    /// A map or object; keys are ordered.
    Map(BTreeMap<String, Value>),
    /// Known only after apply; holds the type the value will have.
    Unknown(Type),
    /// A sensitive value: usable, never shown.
    Sensitive(Box<Value>),
}

impl Value {
    /// A set: elements deduplicated and ordered by their canonical text.
    pub fn set(items: impl IntoIterator<Item = Value>) -> Value {
        let mut items: Vec<(String, Value)> = items.into_iter().map(|v| (v.canonical_key(), v)).collect();
        items.sort_by(|a, b| a.0.cmp(&b.0));
        items.dedup_by(|a, b| a.0 == b.0);
        Value::Set(items.into_iter().map(|(_, v)| v).collect())
    }

    pub fn map(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
        Value::Map(entries.into_iter().collect())
    }

    pub fn unknown() -> Value {
        Value::Unknown(Type::Any)
    }

    /// Marks this value sensitive (idempotent).
    pub fn mark_sensitive(self) -> Value {
        match self {
            Value::Sensitive(_) => self,
            other => Value::Sensitive(Box::new(other)),
        }
    }

    /// Marks the value sensitive when `sensitive` is true.
    pub fn with_sensitive(self, sensitive: bool) -> Value {
        if sensitive { self.mark_sensitive() } else { self }
    }

    /// Strips a top-level mark: the inner value and whether it was marked.
    pub fn unmark(self) -> (Value, bool) {
        match self {
            Value::Sensitive(inner) => (inner.unmark().0, true),
            other => (other, false),
        }
    }

    /// Strips every mark, however deep: the plain value and whether any mark was found.
    pub fn unmark_deep(self) -> (Value, bool) {
        match self {
            Value::Sensitive(inner) => (inner.unmark_deep().0, true),
            Value::List(items) => {
                let mut any = false;
                let items = items
                    .into_iter()
                    .map(|v| {
                        let (v, s) = v.unmark_deep();
                        any |= s;
                        v
                    })
                    .collect();
                (Value::List(items), any)
            }
            Value::Set(items) => {
                let mut any = false;
                let items: Vec<Value> = items
                    .into_iter()
                    .map(|v| {
                        let (v, s) = v.unmark_deep();
                        any |= s;
                        v
                    })
                    .collect();
                (Value::set(items), any)
            }
            Value::Map(entries) => {
                let mut any = false;
                let entries = entries
                    .into_iter()
                    .map(|(k, v)| {
                        let (v, s) = v.unmark_deep();
                        any |= s;
                        (k, v)
                    })
                    .collect();
                (Value::Map(entries), any)
            }
            other => (other, false),
        }
    }

    /// The value with top-level marks looked through (for reading, not for output).
    pub fn peel(&self) -> &Value {
        match self {
            Value::Sensitive(inner) => inner.peel(),
            other => other,
        }
    }

    pub fn is_sensitive(&self) -> bool {
        matches!(self, Value::Sensitive(_))
    }

    /// True when a mark appears anywhere in the value.
    pub fn contains_sensitive(&self) -> bool {
        match self {
            Value::Sensitive(_) => true,
            Value::List(items) | Value::Set(items) => items.iter().any(Value::contains_sensitive),
            Value::Map(entries) => entries.values().any(Value::contains_sensitive),
            _ => false,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.peel(), Value::Null)
    }

    /// False when the value itself is unknown (its elements may still be).
    pub fn is_known(&self) -> bool {
        !matches!(self.peel(), Value::Unknown(_))
    }

    /// True when nothing inside the value is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self.peel() {
            Value::Unknown(_) => false,
            Value::List(items) | Value::Set(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(entries) => entries.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.peel() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self.peel() {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.peel() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Elements of a list, tuple or set.
    pub fn as_sequence(&self) -> Option<&[Value]> {
        match self.peel() {
            Value::List(items) | Value::Set(items) => Some(items),
            _ => None,
        }
    }

    /// Entries of a map or object.
    pub fn as_mapping(&self) -> Option<&BTreeMap<String, Value>> {
        match self.peel() {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The name of the value's kind for messages ("string", "list", "unknown value").
    pub fn kind_name(&self) -> &'static str {
        match self.peel() {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "object",
            Value::Unknown(_) => "unknown value",
            Value::Sensitive(_) => "sensitive value",
        }
    }

    /// A text that is equal for equal values; orders set elements.
    pub fn canonical_key(&self) -> String {
        // HCL syntax with sensitive values shown is canonical and injective enough for sets.
        let mut out = String::new();
        write_hcl(self, &mut out, true);
        out
    }

    /// Renders in HCL syntax, sensitive values redacted: for diagnostics and plan output.
    pub fn to_hcl(&self) -> String {
        let mut out = String::new();
        write_hcl(self, &mut out, false);
        out
    }
}

fn write_hcl(value: &Value, out: &mut String, reveal: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(*n)),
        Value::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Value::List(items) | Value::Set(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_hcl(item, out, reveal);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                out.push_str(if i > 0 { ", " } else { " " });
                write_hcl(&Value::String(k.clone()), out, reveal);
                out.push_str(" = ");
                write_hcl(v, out, reveal);
            }
            out.push_str(if entries.is_empty() { "}" } else { " }" });
        }
        Value::Unknown(_) => out.push_str("(known after apply)"),
        Value::Sensitive(inner) => {
            if reveal {
                write_hcl(inner, out, reveal);
            } else {
                out.push_str("(sensitive value)");
            }
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hcl())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n as f64)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::List(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_found_and_stripped_deeply() {
        let v = Value::List(vec![Value::from("a"), Value::from("secret").mark_sensitive()]);
        assert!(v.contains_sensitive());
        assert!(!v.is_sensitive());
        assert_eq!(v.to_hcl(), r#"["a", (sensitive value)]"#);
        let (plain, marked) = v.unmark_deep();
        assert!(marked);
        assert_eq!(plain, Value::List(vec![Value::from("a"), Value::from("secret")]));
    }

    #[test]
    fn sets_are_deduplicated_and_ordered() {
        let s = Value::set(vec![Value::from("b"), Value::from("a"), Value::from("b")]);
        assert_eq!(s, Value::Set(vec![Value::from("a"), Value::from("b")]));
    }

    #[test]
    fn unknown_is_not_known() {
        let v = Value::List(vec![Value::Unknown(Type::String)]);
        assert!(v.is_known());
        assert!(!v.is_wholly_known());
        assert!(!Value::Unknown(Type::String).mark_sensitive().is_known());
    }
}
