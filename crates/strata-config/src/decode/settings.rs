//! `strata { required_version = "..." backend "local" { path = "..." } }`.

use hcl::edit::structure::Block;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};
use strata_value::Type;

use super::{Fields, span_of};
use crate::{BackendConfig, Module};

const BACKENDS: [(&str, &[&str]); 2] = [("local", &["path"]), ("pg", &["conn_str", "schema"])];

pub(super) fn decode(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(fields) = Fields::new(file, block, &["required_version"], diags) else { return };
    let mut settings = module.settings.take().unwrap_or_default();
    if fields.get("required_version").is_some() {
        settings.required_version = fields.constant_string("required_version", diags);
        settings.required_version_span = fields.span("required_version");
    }
    for inner in fields.blocks(&["backend"], diags) {
        let Some(names) = super::labels(file, inner, "backend", &["type"], diags) else { continue };
        let kind = names[0];
        let Some((_, arguments)) = BACKENDS.iter().find(|(k, _)| *k == kind) else {
            diags.push(
                Diagnostic::error(
                    "Unsupported backend type",
                    format!("There is no backend named \"{kind}\"; Strata has \"local\" and \"pg\"."),
                )
                .with_subject(inner.labels.first().and_then(|l| span_of(file, l)))
                .with_optional_hint(strata_diagnostics::did_you_mean(kind, BACKENDS.iter().map(|(k, _)| *k))),
            );
            continue;
        };
        let Some(backend_fields) = Fields::new(file, inner, arguments, diags) else { continue };
        backend_fields.blocks(&[], diags);
        let settings_map = arguments
            .iter()
            .filter_map(|name| backend_fields.constant(name, &Type::String, diags).map(|v| ((*name).to_owned(), v)))
            .collect();
        if let Some(previous) = &settings.backend {
            diags.push(
                Diagnostic::error(
                    "Duplicate backend configuration",
                    "A module may have only one backend configuration.",
                )
                .with_subject(span_of(file, &inner.ident))
                .with_context(previous.span),
            );
            continue;
        }
        settings.backend =
            Some(BackendConfig { kind: kind.to_owned(), settings: settings_map, span: span_of(file, &inner.ident) });
    }
    if let (Some(version), Some(span)) = (&settings.required_version, settings.required_version_span)
        && !version_satisfied(version)
    {
        diags.push(
            Diagnostic::error(
                "Unsupported Strata version",
                format!(
                    "This configuration requires Strata {version}, but this is Strata {}.",
                    env!("CARGO_PKG_VERSION")
                ),
            )
            .with_subject(span),
        );
    }
    module.settings = Some(settings);
}

/// Checks a constraint like `>= 0.1, < 2.0` against this build's version.
fn version_satisfied(constraint: &str) -> bool {
    let current = parse_version(env!("CARGO_PKG_VERSION")).unwrap_or_default();
    constraint.split(',').all(|part| {
        let part = part.trim();
        let (op, version) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("=", part));
        let Some(wanted) = parse_version(version) else { return false };
        match op {
            ">=" => current >= wanted,
            "<=" => current <= wanted,
            ">" => current > wanted,
            "<" => current < wanted,
            "!=" => current != wanted,
            // `~> 1.2` allows 1.x from 1.2; `~> 1.2.3` allows 1.2.x from 1.2.3.
            "~>" => {
                let precision = version.split('.').count();
                current >= wanted
                    && current[..precision.saturating_sub(1).max(1)] == wanted[..precision.saturating_sub(1).max(1)]
            }
            _ => current == wanted,
        }
    })
}

fn parse_version(text: &str) -> Option<[u64; 3]> {
    let mut parts = [0u64; 3];
    for (i, piece) in text.trim().split('.').enumerate() {
        *parts.get_mut(i)? = piece.parse().ok()?;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_constraints() {
        // This build is 0.1.0.
        assert!(super::version_satisfied(">= 0.1"));
        assert!(super::version_satisfied(">= 0.1.0, < 1.0"));
        assert!(super::version_satisfied("~> 0.1"));
        assert!(!super::version_satisfied(">= 2.0"));
        assert!(!super::version_satisfied("banana"));
    }
}
