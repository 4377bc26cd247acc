//! Preconditions, postconditions and `check` blocks.

use std::collections::BTreeMap;

use strata_addrs::{ModulePath, ResourceInstanceAddr};
use strata_config::Expr;
use strata_diagnostics::{Diagnostic, Severity};
use strata_value::Value;

use crate::values::Values;

/// Which rule a condition belongs to.
#[derive(Clone, Copy)]
pub(crate) enum Rule {
    Precondition,
    Postcondition,
    Check,
}

impl Rule {
    fn summary(self) -> &'static str {
        match self {
            Rule::Precondition => "Resource precondition failed",
            Rule::Postcondition => "Resource postcondition failed",
            Rule::Check => "Check block assertion failed",
        }
    }
}

/// Evaluates each `(condition, error_message)`; returns a diagnostic per false condition.
/// A condition that is not known yet passes for now (it is checked again at apply). Checks
/// only warn; pre/postconditions are errors.
pub(crate) fn evaluate(
    values: &mut Values<'_>,
    module: &ModulePath,
    rules: &[(Expr, Expr)],
    extra: &BTreeMap<String, Value>,
    rule: Rule,
    subject: Option<&ResourceInstanceAddr>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (condition, message) in rules {
        let result = values.context(module, condition, extra).and_then(|c| c.eval(&condition.expr));
        let passed = match result {
            Ok(v) => match v.peel() {
                Value::Bool(b) => *b,
                Value::Unknown(_) => true,
                other => {
                    out.push(
                        Diagnostic::error(
                            "Invalid condition result",
                            format!("A condition must be true or false, but this is {}.", other.kind_name()),
                        )
                        .with_subject(condition.span()),
                    );
                    continue;
                }
            },
            Err(d) => {
                out.push(d);
                continue;
            }
        };
        if passed {
            continue;
        }
        let text = match values.context(module, message, extra).and_then(|c| c.eval(&message.expr)) {
            Ok(m) if m.contains_sensitive() => "(the error message is sensitive)".to_owned(),
            Ok(m) => m.as_str().map_or_else(|| m.to_hcl(), str::to_owned),
            Err(d) => d.detail,
        };
        let detail = match subject {
            Some(addr) => format!("{addr}: {text}"),
            None => text,
        };
        let mut diagnostic = Diagnostic::error(rule.summary(), detail).with_subject(condition.span());
        if matches!(rule, Rule::Check) {
            diagnostic.severity = Severity::Warning;
        }
        out.push(diagnostic);
    }
    out
}
