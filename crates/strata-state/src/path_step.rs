//! Steps of a path into a value, used to record where sensitive marks were.

use serde::{Deserialize, Serialize};

/// One step into a value. In JSON: `{"attribute": "password"}`, `{"index": 0}`, `{"key": "k"}`.
///
/// [`crate::encode_value`] writes `Attribute` for every object or map entry, because a
/// [`strata_value::Value`] does not tell objects from maps; `Key` is accepted on reading for
/// writers that know the schema, and means the same thing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathStep {
    Attribute(String),
    /// An element of a list, tuple or set (sets by their canonical order).
    Index(u64),
    Key(String),
}

/// A path for messages: `.tags["a b"][0]`; the empty path is the value itself, `(root)`.
pub fn format_path(path: &[PathStep]) -> String {
    if path.is_empty() {
        return "(root)".to_owned();
    }
    let mut out = String::new();
    for step in path {
        match step {
            PathStep::Attribute(name) if is_identifier(name) => {
                out.push('.');
                out.push_str(name);
            }
            PathStep::Attribute(name) | PathStep::Key(name) => out.push_str(&format!("[{name:?}]")),
            PathStep::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_like_traversals() {
        let path = [
            PathStep::Attribute("tags".into()),
            PathStep::Key("a b".into()),
            PathStep::Index(0),
            PathStep::Attribute("x y".into()),
        ];
        assert_eq!(format_path(&path), r#".tags["a b"][0]["x y"]"#);
        assert_eq!(format_path(&[]), "(root)");
    }

    #[test]
    fn steps_serialize_as_one_key_objects() {
        let path = vec![PathStep::Attribute("a".into()), PathStep::Index(1), PathStep::Key("k".into())];
        let json = serde_json::to_string(&path).unwrap();
        assert_eq!(json, r#"[{"attribute":"a"},{"index":1},{"key":"k"}]"#);
        assert_eq!(serde_json::from_str::<Vec<PathStep>>(&json).unwrap(), path);
    }
}
