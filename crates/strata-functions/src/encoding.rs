//! Encodings: `jsonencode`, `jsondecode`, `yamlencode`, `yamldecode`, `base64encode`,
//! `base64decode`, `urlencode`.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use strata_value::{Value, format_number, from_json, to_json};

use crate::FunctionError;
use crate::args::Args;

/// Compact JSON, escaping `<`, `>`, `&`, U+2028 and U+2029 like Terraform (Go's encoder) so
/// the text is safe inside HTML and JavaScript. Those characters only occur inside strings.
pub(crate) fn json_text(value: &Value) -> String {
    let text = to_json(value).to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Unknowns: anything unknown inside gives an unknown string (generic rule).
pub(crate) fn jsonencode(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(json_text(args.value(0))))
}

pub(crate) fn jsondecode(args: &Args) -> Result<Value, FunctionError> {
    let text = args.string(0)?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| args.invalid(0, format!("the string is not valid JSON: {error}")))?;
    Ok(from_json(&json))
}

pub(crate) fn yamlencode(args: &Args) -> Result<Value, FunctionError> {
    serde_yaml::to_string(&to_json(args.value(0)))
        .map(Value::String)
        .map_err(|error| args.failed(format!("cannot encode the value as YAML: {error}")))
}

pub(crate) fn yamldecode(args: &Args) -> Result<Value, FunctionError> {
    let text = args.string(0)?;
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
        .map_err(|error| args.invalid(0, format!("the string is not valid YAML: {error}")))?;
    from_yaml(yaml).map_err(|message| args.invalid(0, message))
}

fn from_yaml(yaml: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::List(items.into_iter().map(from_yaml).collect::<Result<_, _>>()?),
        Yaml::Mapping(entries) => {
            let mut out = BTreeMap::new();
            for (key, value) in entries {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Number(n) => n.as_f64().map_or_else(|| n.to_string(), format_number),
                    Yaml::Null => "null".to_owned(),
                    _ => return Err("the YAML has a mapping key that is not a string, number or bool".to_owned()),
                };
                out.insert(key, from_yaml(value)?);
            }
            Value::Map(out)
        }
        Yaml::Tagged(tagged) => from_yaml(tagged.value)?,
    })
}

pub(crate) fn base64encode(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(STANDARD.encode(args.string(0)?)))
}

/// The decoded bytes must be UTF-8 text, as strings are.
pub(crate) fn base64decode(args: &Args) -> Result<Value, FunctionError> {
    let bytes = STANDARD.decode(args.string(0)?).map_err(|_| args.invalid(0, "the string is not valid base64"))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| args.invalid(0, "the decoded bytes are not valid UTF-8 text"))
}

/// Query-string escaping like Go's `url.QueryEscape`: spaces become `+`.
pub(crate) fn urlencode(args: &Args) -> Result<Value, FunctionError> {
    let text = args.string(0)?;
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    Ok(Value::String(out))
}
