//! `merge_config`: default values + the user's values → the text of a config file.
//!
//! Pure: no placeholders are filled here (see [`crate::ConfigFile::expanded_defaults`]). User
//! values replace defaults in place; keys the defaults do not have follow in key order, so the
//! same inputs always give the same bytes (the drift check compares checksums).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::config_file::ConfigFormat;
use crate::error::ConfigError;

const HEADER: &str =
    "Written by Strata from the release defaults and the cluster's values; edits made here are reported as drift.";

/// Renders `defaults` with `user_values` merged over them in `format`.
pub fn merge_config(
    defaults: &[(String, String)],
    user_values: &BTreeMap<String, String>,
    format: ConfigFormat,
) -> Result<String, ConfigError> {
    let mut entries: Vec<(&str, &str)> = Vec::with_capacity(defaults.len() + user_values.len());
    for (key, value) in defaults {
        match entries.iter_mut().find(|(existing, _)| existing == key) {
            Some(entry) => entry.1 = value,
            None => entries.push((key, value)),
        }
    }
    for entry in &mut entries {
        if let Some(value) = user_values.get(entry.0) {
            entry.1 = value;
        }
    }
    for (key, value) in user_values {
        if !defaults.iter().any(|(default_key, _)| default_key == key) {
            entries.push((key, value));
        }
    }
    render(&entries, format)
}

fn render(entries: &[(&str, &str)], format: ConfigFormat) -> Result<String, ConfigError> {
    let error = |key: &str, reason| ConfigError { key: key.to_owned(), format, reason };
    let mut text = String::new();
    if format == ConfigFormat::Xml {
        text.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(text, "<!-- {HEADER} -->");
        text.push_str("<configuration>\n");
    } else {
        let _ = writeln!(text, "# {HEADER}");
    }
    for (key, value) in entries {
        if key.is_empty() {
            return Err(error(key, "the key is empty"));
        }
        match format {
            ConfigFormat::Properties => {
                let _ = writeln!(text, "{}={}", java_escape(key, true, true), java_escape(value, false, true));
            }
            ConfigFormat::KeyValue => {
                let _ = writeln!(text, "{} {}", java_escape(key, true, false), java_escape(value, false, false));
            }
            ConfigFormat::Env => {
                let mut characters = key.chars();
                let valid = characters.next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
                    && characters.all(|rest| rest.is_ascii_alphanumeric() || rest == '_');
                if !valid {
                    return Err(error(
                        key,
                        "a shell variable name is letters, digits and `_`, not starting with a digit",
                    ));
                }
                let _ = writeln!(text, "export {key}='{}'", value.replace('\'', "'\\''"));
            }
            ConfigFormat::Xml => {
                if [key, value]
                    .iter()
                    .any(|part| part.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')))
                {
                    return Err(error(key, "XML 1.0 cannot hold control characters"));
                }
                let _ = writeln!(
                    text,
                    "  <property>\n    <name>{}</name>\n    <value>{}</value>\n  </property>",
                    xml_escape(key),
                    xml_escape(value)
                );
            }
            ConfigFormat::Postgresql => {
                let valid = key.chars().next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                if !valid {
                    return Err(error(key, "a parameter name is letters, digits, `_` and `.`"));
                }
                if value.contains(['\n', '\r']) {
                    return Err(error(key, "a value is one line"));
                }
                let _ = writeln!(text, "{key} = '{}'", value.replace('\\', "\\\\").replace('\'', "''"));
            }
            ConfigFormat::Columns => {
                if [key, value].iter().any(|part| part.contains(['\n', '\r', '#'])) {
                    return Err(error(key, "a row is one line without `#`"));
                }
                if value.is_empty() {
                    let _ = writeln!(text, "{key}");
                } else {
                    let _ = writeln!(text, "{key} {value}");
                }
            }
        }
    }
    if format == ConfigFormat::Xml {
        text.push_str("</configuration>\n");
    }
    Ok(text)
}

/// Escapes for `java.util.Properties.load`: backslash, line breaks and tabs always; in keys
/// also spaces, `=`, `:` and a leading `#`/`!`; leading spaces of values; with `ascii`, every
/// character outside printable ASCII as `\uXXXX` (files read as ISO-8859-1).
fn java_escape(text: &str, is_key: bool, ascii: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut leading = true;
    for (position, character) in text.chars().enumerate() {
        match character {
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            '\u{c}' => escaped.push_str("\\f"),
            ' ' if is_key || leading => escaped.push_str("\\ "),
            '=' | ':' if is_key => {
                escaped.push('\\');
                escaped.push(character);
            }
            '#' | '!' if is_key && position == 0 => {
                escaped.push('\\');
                escaped.push(character);
            }
            c if c.is_control() || (ascii && !c.is_ascii()) => {
                let mut units = [0_u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(escaped, "\\u{unit:04X}");
                }
            }
            c => escaped.push(c),
        }
        leading = leading && character == ' ';
    }
    escaped
}

fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}
