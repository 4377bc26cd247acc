//! `timeouts { create = "20m" ... }` inside a resource or data block.

use std::time::Duration;

use hcl::edit::structure::{Attribute, Block, Structure};
use strata_addrs::ResourceMode;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};
use strata_value::{Type, Value};

use super::fields::constant_value;
use super::span_of;
use crate::{Timeouts, parse_duration};

const MANAGED_KEYS: [&str; 4] = ["create", "update", "delete", "read"];
const DATA_KEYS: [&str; 1] = ["read"];
const FORMAT_HINT: &str = "write a whole number and a unit (ms, s, m or h), such as \"30s\", \"5m\" or \"1h30m\"";

pub(super) fn decode(
    file: FileId,
    block: &Block,
    mode: ResourceMode,
    timeouts: &mut Timeouts,
    diags: &mut Diagnostics,
) {
    let block_span = span_of(file, &block.ident);
    if let Some(first) = timeouts.span {
        diags.push(
            Diagnostic::error(
                "Duplicate timeouts block",
                "A resource takes at most one timeouts block, and one was already declared above.",
            )
            .with_subject(block_span)
            .with_context(first)
            .with_hint("put every timeout into the first timeouts block"),
        );
        return;
    }
    timeouts.span = block_span;
    if let Some(label) = block.labels.first() {
        diags.push(
            Diagnostic::error("Extraneous block label", "A timeouts block takes no labels.")
                .with_subject(span_of(file, label))
                .with_hint("write timeouts { ... } without a name"),
        );
    }
    let allowed: &[&str] = if mode == ResourceMode::Data { &DATA_KEYS } else { &MANAGED_KEYS };
    for structure in block.body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let name = attribute.key.value().as_str();
                if !allowed.contains(&name) {
                    diags.push(unsupported_key(file, attribute, mode));
                    continue;
                }
                let Some(duration) = duration(file, attribute, diags) else { continue };
                let slot = match name {
                    "create" => &mut timeouts.create,
                    "update" => &mut timeouts.update,
                    "delete" => &mut timeouts.delete,
                    _ => &mut timeouts.read,
                };
                *slot = Some(duration);
            }
            Structure::Block(inner) => diags.push(
                Diagnostic::error(
                    "Unsupported block type",
                    format!("Blocks of type \"{}\" are not expected in a timeouts block.", inner.ident.value()),
                )
                .with_subject(span_of(file, &inner.ident))
                .with_hint(format!("a timeouts block holds only the arguments {}", allowed.join(", "))),
            ),
        }
    }
}

fn unsupported_key(file: FileId, attribute: &Attribute, mode: ResourceMode) -> Diagnostic {
    let name = attribute.key.value().as_str();
    let (detail, hint) = if mode == ResourceMode::Data && MANAGED_KEYS.contains(&name) {
        (
            format!("A data source is only ever read, so its timeouts block has no \"{name}\"."),
            "use read = \"...\" to bound how long reading it may take".to_owned(),
        )
    } else {
        let allowed: &[&str] = if mode == ResourceMode::Data { &DATA_KEYS } else { &MANAGED_KEYS };
        (
            format!("An argument named \"{name}\" is not expected in a timeouts block."),
            did_you_mean(name, allowed.iter().copied())
                .unwrap_or_else(|| format!("a timeouts block takes {}", allowed.join(", "))),
        )
    };
    Diagnostic::error("Unsupported argument", detail).with_subject(span_of(file, &attribute.key)).with_hint(hint)
}

/// The duration an argument sets; `None` (with a diagnostic, unless it is null) otherwise.
fn duration(file: FileId, attribute: &Attribute, diags: &mut Diagnostics) -> Option<Duration> {
    let name = attribute.key.value().as_str();
    let subject = span_of(file, &attribute.value);
    if let Some(reference) = strata_eval::references(&attribute.value, file).first() {
        diags.push(
            Diagnostic::error(
                "Variables not allowed",
                format!(
                    "Timeouts are read before anything is evaluated, so they must be constants, but this one refers to \"{}\".",
                    reference.root
                ),
            )
            .with_subject(reference.span)
            .with_hint(format!("write the duration itself, such as {name} = \"10m\"")),
        );
        return None;
    }
    let value = constant_value(file, &attribute.value, &Type::Any, diags)?;
    let text = match value.peel() {
        Value::Null => return None,
        Value::String(text) => text.clone(),
        other => {
            let example = match other {
                Value::Number(n) => format!("{name} = \"{}s\"", strata_value::format_number(*n)),
                _ => format!("{name} = \"10m\""),
            };
            diags.push(
                Diagnostic::error(
                    "Incorrect value type",
                    format!("A timeout is a string with a unit, such as \"20m\", but this is a {}.", other.kind_name()),
                )
                .with_subject(subject)
                .with_hint(format!("write it as a quoted duration: {example}")),
            );
            return None;
        }
    };
    match parse_duration(&text) {
        Some(duration) if duration.is_zero() => {
            diags.push(
                Diagnostic::error(
                    "Invalid timeout duration",
                    format!("A {name} timeout of zero would stop every {name} before it starts."),
                )
                .with_subject(subject)
                .with_hint("leave the argument out for no time limit"),
            );
            None
        }
        Some(duration) => Some(duration),
        None => {
            diags.push(
                Diagnostic::error("Invalid timeout duration", format!("\"{text}\" is not a duration."))
                    .with_subject(subject)
                    .with_hint(FORMAT_HINT),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use strata_addrs::ResourceAddr;
    use strata_diagnostics::{Diagnostics, SourceFiles};

    #[test]
    fn timeouts_are_decoded_and_kept_out_of_the_body() {
        let text = r#"
resource "strata_data" "a" {
  input = "x"
  timeouts {
    create = "2s"
    read   = "1m30s"
  }
}
data "strata_file" "d" {
  path = "/etc/hostname"
  timeouts {
    read = "250ms"
  }
}
"#;
        let (mut files, mut diags) = (SourceFiles::new(), Diagnostics::new());
        let config = crate::load_files(
            std::path::Path::new("."),
            vec![("main.hcl".into(), text.into())],
            &mut files,
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let resources = &config.root.module.resources;
        let a = resources.get(&ResourceAddr::managed("strata_data", "a")).unwrap();
        assert_eq!(a.timeouts.create, Some(Duration::from_secs(2)));
        assert_eq!(a.timeouts.read, Some(Duration::from_secs(90)));
        assert_eq!((a.timeouts.update, a.timeouts.delete), (None, None));
        assert!(a.timeouts.span.is_some());
        assert!(a.body.body.blocks().all(|b| b.ident.value().as_str() != "timeouts"));
        let d = resources.values().find(|r| r.addr.name == "d").unwrap();
        assert_eq!(d.timeouts.read, Some(Duration::from_millis(250)));
        assert!(d.body.body.blocks().next().is_none());
    }
}
