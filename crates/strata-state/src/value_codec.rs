//! Values with sensitive marks to and from the state's JSON plus sensitive paths.
//!
//! The state keeps attributes in plain JSON (readable, diffable, and what providers send) and
//! records where the marks were separately, so a value read back from the state is exactly as
//! sensitive as the one that was written. That is the in-memory form; on disk the values at the
//! sensitive paths are encrypted (`sealing.rs`), which the formats undo on reading.

use serde_json::Value as Json;
use strata_value::{Value, from_json};

use crate::{PathStep, format_path};

/// A value that cannot be stored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncodeError {
    /// Unknowns belong to plans; an unknown reaching the state would be stored as a guess.
    #[error("unknown value at {} cannot be stored in the state: only applied, known values can", format_path(.path))]
    Unknown { path: Vec<PathStep> },
    #[error("number {number} at {} cannot be stored in the state: JSON has no infinities or NaN", format_path(.path))]
    NonFinite { path: Vec<PathStep>, number: f64 },
}

/// Splits a value into plain JSON and the paths of its sensitive marks (outer marks before the
/// marks inside them). Errors on unknowns and non-finite numbers.
pub fn encode_value(value: &Value) -> Result<(Json, Vec<Vec<PathStep>>), EncodeError> {
    let mut paths = Vec::new();
    let mut path = Vec::new();
    let json = encode(value, &mut path, &mut paths)?;
    Ok((json, paths))
}

fn encode(value: &Value, path: &mut Vec<PathStep>, marks: &mut Vec<Vec<PathStep>>) -> Result<Json, EncodeError> {
    Ok(match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => {
            encode_number(*n).ok_or_else(|| EncodeError::NonFinite { path: path.clone(), number: *n })?
        }
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) | Value::Set(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                path.push(PathStep::Index(index as u64));
                out.push(encode(item, path, marks)?);
                path.pop();
            }
            Json::Array(out)
        }
        Value::Map(entries) => {
            let mut out = serde_json::Map::with_capacity(entries.len());
            for (key, item) in entries {
                path.push(PathStep::Attribute(key.clone()));
                out.insert(key.clone(), encode(item, path, marks)?);
                path.pop();
            }
            Json::Object(out)
        }
        Value::Unknown(_) => return Err(EncodeError::Unknown { path: path.clone() }),
        Value::Sensitive(inner) => {
            // Nested marks on the same value (`Sensitive(Sensitive(x))`) are one mark.
            if marks.last() != Some(path) {
                marks.push(path.clone());
            }
            encode(inner, path, marks)?
        }
    })
}

/// Integers as JSON integers (what users and providers write), other numbers as floats.
fn encode_number(n: f64) -> Option<Json> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Some(Json::from(n as i64))
    } else {
        serde_json::Number::from_f64(n).map(Json::Number)
    }
}

/// Rebuilds a value from JSON and re-applies the marks at `sensitive_paths`. Arrays come back
/// as lists (the schema's conversion turns them into sets where needed). A path that does not
/// fit the JSON (a hand-edited file) marks the deepest value it reaches: showing too little is
/// safe, showing a secret is not.
pub fn decode_value(json: &Json, sensitive_paths: &[Vec<PathStep>]) -> Value {
    let mut value = from_json(json);
    for path in sensitive_paths {
        mark_at(&mut value, path);
    }
    value
}

fn mark_at(value: &mut Value, path: &[PathStep]) {
    // Look through marks already applied on the way, so the order of paths does not matter.
    if let Value::Sensitive(inner) = value {
        return mark_at(inner, path);
    }
    let child = match (path.first(), &mut *value) {
        (None, _) => None,
        (Some(PathStep::Index(index)), Value::List(items) | Value::Set(items)) => {
            usize::try_from(*index).ok().and_then(|index| items.get_mut(index))
        }
        (Some(PathStep::Attribute(key) | PathStep::Key(key)), Value::Map(entries)) => entries.get_mut(key),
        _ => None,
    };
    match child {
        Some(child) => mark_at(child, &path[1..]),
        None => {
            let plain = std::mem::replace(value, Value::Null);
            *value = plain.mark_sensitive();
        }
    }
}

#[cfg(test)]
mod tests {
    use strata_value::Type;

    use super::*;

    fn attr(name: &str) -> PathStep {
        PathStep::Attribute(name.to_owned())
    }

    #[test]
    fn nested_marks_round_trip() {
        let secret = Value::from("hunter2").mark_sensitive();
        let value = Value::map([
            ("name".to_owned(), Value::from("db")),
            ("password".to_owned(), secret.clone()),
            ("ports".to_owned(), Value::List(vec![Value::from(5432_i64), Value::from(1.5).mark_sensitive()])),
            (
                "nested".to_owned(),
                Value::map([("inner".to_owned(), Value::List(vec![secret.clone()]))]).mark_sensitive(),
            ),
            ("whole".to_owned(), Value::Sensitive(Box::new(secret))),
        ]);
        let (json, paths) = encode_value(&value).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "name": "db", "nested": {"inner": ["hunter2"]}, "password": "hunter2",
                "ports": [5432, 1.5], "whole": "hunter2"
            })
        );
        assert_eq!(
            paths,
            vec![
                vec![attr("nested")],
                vec![attr("nested"), attr("inner"), PathStep::Index(0)],
                vec![attr("password")],
                vec![attr("ports"), PathStep::Index(1)],
                vec![attr("whole")],
            ]
        );
        // `whole` was marked twice; one mark is the same as two (marking is idempotent).
        let expected = match value.clone() {
            Value::Map(mut entries) => {
                entries.insert("whole".into(), Value::from("hunter2").mark_sensitive());
                Value::Map(entries)
            }
            _ => unreachable!(),
        };
        assert_eq!(decode_value(&json, &paths), expected);
        // The order of paths does not matter.
        let reversed: Vec<_> = paths.iter().rev().cloned().collect();
        assert_eq!(decode_value(&json, &reversed), expected);
    }

    #[test]
    fn a_marked_root_round_trips() {
        let value = Value::from("x").mark_sensitive();
        let (json, paths) = encode_value(&value).unwrap();
        assert_eq!(paths, vec![Vec::<PathStep>::new()]);
        assert_eq!(decode_value(&json, &paths), value);
    }

    #[test]
    fn unknowns_and_non_finite_numbers_are_errors() {
        let value = Value::map([("a".to_owned(), Value::List(vec![Value::Unknown(Type::String).mark_sensitive()]))]);
        let error = encode_value(&value).unwrap_err();
        assert_eq!(error, EncodeError::Unknown { path: vec![attr("a"), PathStep::Index(0)] });
        assert_eq!(
            error.to_string(),
            "unknown value at .a[0] cannot be stored in the state: only applied, known values can"
        );
        assert!(matches!(encode_value(&Value::Number(f64::NAN)), Err(EncodeError::NonFinite { .. })));
    }

    #[test]
    fn paths_that_do_not_fit_mark_the_deepest_value_reached() {
        let json = serde_json::json!({"a": {"b": 1}, "c": 2});
        let value = decode_value(&json, &[vec![attr("a"), attr("missing")], vec![attr("c"), PathStep::Index(3)]]);
        let expected = Value::map([
            ("a".to_owned(), Value::map([("b".to_owned(), Value::from(1_i64))]).mark_sensitive()),
            ("c".to_owned(), Value::from(2_i64).mark_sensitive()),
        ]);
        assert_eq!(value, expected);
    }

    #[test]
    fn key_steps_mean_the_same_as_attribute_steps() {
        let json = serde_json::json!({"tags": {"k": "v"}});
        let by_key = decode_value(&json, &[vec![attr("tags"), PathStep::Key("k".into())]]);
        let by_attribute = decode_value(&json, &[vec![attr("tags"), attr("k")]]);
        assert_eq!(by_key, by_attribute);
        assert!(by_key.contains_sensitive());
    }
}
