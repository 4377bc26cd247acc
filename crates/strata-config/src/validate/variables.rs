//! Variable validation rules, checked when the value is known.

use std::collections::BTreeMap;

use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_value::Value;

use crate::ModuleNode;
use crate::scope::ModuleScope;

pub(crate) fn check(
    node: &ModuleNode,
    scope: &ModuleScope,
    values: &BTreeMap<String, Option<Value>>,
    diags: &mut Diagnostics,
) {
    for (name, variable) in &node.module.variables {
        let Some(Some(value)) = values.get(name) else { continue };
        if !value.is_wholly_known() {
            continue;
        }
        for rule in &variable.validations {
            let context = scope.context(rule.condition.file);
            let result = match context.eval(&rule.condition.expr) {
                Ok(v) => v,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            match result.peel() {
                Value::Bool(true) | Value::Unknown(_) => {}
                Value::Bool(false) => {
                    let message = match context.eval(&rule.error_message.expr) {
                        Ok(m) if m.is_sensitive() => "(the error message is sensitive)".to_owned(),
                        Ok(m) => m.as_str().map_or_else(|| m.to_hcl(), str::to_owned),
                        Err(d) => {
                            diags.push(d);
                            continue;
                        }
                    };
                    diags.push(
                        Diagnostic::error(
                            "Invalid value for variable",
                            format!("{message}\n\nThis was checked by the validation rule at the marked condition."),
                        )
                        .with_subject(rule.condition.span())
                        .with_context(variable.decl_span),
                    );
                }
                other => diags.push(
                    Diagnostic::error(
                        "Invalid variable validation result",
                        format!("A validation condition must be true or false, but this is a {}.", other.kind_name()),
                    )
                    .with_subject(rule.condition.span()),
                ),
            }
        }
    }
}
