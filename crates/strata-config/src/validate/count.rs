//! `count` and `for_each` must be usable to decide how many instances there are.

use std::collections::BTreeSet;

use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_value::Value;

use crate::scope::ModuleScope;
use crate::{Expr, Module};

pub(crate) fn check_count(expr: &Expr, module: &Module, scope: &ModuleScope, diags: &mut Diagnostics) {
    let Some(value) = evaluate(expr, scope, diags) else { return };
    let invalid = |detail: String| Diagnostic::error("Invalid count argument", detail).with_subject(expr.span());
    if !value.is_known() {
        if !depends_on_unset_variable(expr, module, scope) {
            diags.push(
                invalid("The \"count\" value depends on resource attributes that cannot be determined until apply, so Strata cannot predict how many instances will be created.".into())
                    .with_hint("use literal values, input variables or locals derived from them for count"),
            );
        }
        return;
    }
    if value.contains_sensitive() {
        diags.push(invalid("The \"count\" value is sensitive, so it cannot decide how many instances exist (the plan would reveal it).".into()));
        return;
    }
    let number = match value.peel() {
        Value::Null => {
            diags.push(invalid("The given \"count\" value is null. A whole number is required.".into()));
            return;
        }
        other => match strata_value::convert(other, &strata_value::Type::Number).ok().and_then(|v| v.as_number()) {
            Some(n) => n,
            None => {
                diags.push(invalid(format!(
                    "The \"count\" value must be a whole number, but this is a {}.",
                    other.kind_name()
                )));
                return;
            }
        },
    };
    if number.fract() != 0.0 {
        diags.push(invalid(format!("The \"count\" value must be a whole number, but it is {number}.")));
    } else if number < 0.0 {
        diags.push(invalid(format!("The \"count\" value must not be negative, but it is {number}.")));
    }
}

pub(crate) fn check_for_each(expr: &Expr, module: &Module, scope: &ModuleScope, diags: &mut Diagnostics) {
    let Some(value) = evaluate(expr, scope, diags) else { return };
    let invalid = |detail: String| Diagnostic::error("Invalid for_each argument", detail).with_subject(expr.span());
    if !value.is_known() {
        if !depends_on_unset_variable(expr, module, scope) {
            diags.push(
                invalid("The \"for_each\" value depends on resource attributes that cannot be determined until apply, so Strata cannot predict how many instances will be created.".into())
                    .with_hint("use a map or set whose keys come from literal values or input variables"),
            );
        }
        return;
    }
    if value.is_sensitive() {
        diags.push(invalid(
            "The \"for_each\" value is sensitive, so its keys cannot name instances (the plan would reveal them)."
                .into(),
        ));
        return;
    }
    match value.peel() {
        Value::Null => {
            diags.push(invalid("The given \"for_each\" value is null. A map, or a set of strings, is required.".into()))
        }
        Value::Map(_) => {}
        Value::Set(items) => {
            if let Some(bad) = items.iter().find(|i| i.as_str().is_none() && i.is_known()) {
                diags.push(invalid(format!(
                    "A set used for \"for_each\" must hold strings, but it holds {}.",
                    bad.kind_name()
                )));
            } else if items.iter().any(|i| !i.is_known()) {
                diags.push(invalid("The set used for \"for_each\" contains values known only after apply, so the instance keys are unknown.".into()));
            }
        }
        Value::List(_) => diags.push(
            invalid("The \"for_each\" value must be a map, or a set of strings, but this is a list or tuple.".into())
                .with_hint("convert it with toset(...) if its elements are unique strings"),
        ),
        other => diags.push(invalid(format!(
            "The \"for_each\" value must be a map, or a set of strings, but this is a {}.",
            other.kind_name()
        ))),
    }
}

fn evaluate(expr: &Expr, scope: &ModuleScope, diags: &mut Diagnostics) -> Option<Value> {
    match scope.context(expr.file).eval(&expr.expr) {
        Ok(v) => Some(v),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// True when the expression (through locals) refers to a variable that has no value yet:
/// then "unknown" only means "not given", which plan will resolve.
fn depends_on_unset_variable(expr: &Expr, module: &Module, scope: &ModuleScope) -> bool {
    let unset: BTreeSet<&String> = match scope.scope.get("var") {
        Some(Value::Map(vars)) => vars.iter().filter(|(_, v)| !v.is_wholly_known()).map(|(k, _)| k).collect(),
        _ => BTreeSet::new(),
    };
    let mut stack = vec![expr.clone()];
    let mut seen_locals = BTreeSet::new();
    while let Some(current) = stack.pop() {
        for reference in current.references() {
            match (reference.root.as_str(), reference.step(0)) {
                ("var", Some(name)) if unset.contains(&name.to_owned()) => return true,
                ("local", Some(name)) if seen_locals.insert(name.to_owned()) => {
                    if let Some(local) = module.locals.get(name) {
                        stack.push(local.expr.clone());
                    }
                }
                _ => {}
            }
        }
    }
    false
}
