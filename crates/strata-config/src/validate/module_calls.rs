//! Module call inputs must match the called module's variables.

use std::collections::BTreeMap;

use strata_diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use strata_value::Value;

use super::count::{check_count, check_for_each};
use crate::scope::ModuleScope;
use crate::{ModuleCall, ModuleNode};

/// Checks one call and returns the values its inputs give the child's variables.
pub(crate) fn check(
    parent: &ModuleNode,
    call: &ModuleCall,
    child: &ModuleNode,
    scope: &ModuleScope,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Option<Value>> {
    if let Some(expr) = &call.count {
        check_count(expr, &parent.module, scope, diags);
    }
    if let Some(expr) = &call.for_each {
        check_for_each(expr, &parent.module, scope, diags);
    }
    check_providers(parent, call, diags);
    let variables = &child.module.variables;
    let mut values = BTreeMap::new();
    for (name, (expr, name_span)) in &call.inputs {
        let Some(variable) = variables.get(name) else {
            diags.push(
                Diagnostic::error(
                    "Unsupported argument",
                    format!("The module \"{}\" has no variable named \"{name}\".", call.name),
                )
                .with_subject(*name_span)
                .with_optional_hint(did_you_mean(name, variables.keys().map(String::as_str))),
            );
            continue;
        };
        let mut context = scope.context(expr.file);
        if call.count.is_some() {
            context
                .extra
                .insert("count".into(), Value::map([("index".into(), Value::Unknown(strata_value::Type::Number))]));
        }
        if call.for_each.is_some() {
            context.extra.insert(
                "each".into(),
                Value::map([("key".into(), Value::unknown()), ("value".into(), Value::unknown())]),
            );
        }
        let value = match context.eval(&expr.expr) {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        match strata_value::convert(&value, &variable.ty) {
            Ok(v) => {
                values.insert(name.clone(), Some(v));
            }
            Err(e) => diags.push(
                Diagnostic::error(
                    "Invalid value for input variable",
                    format!("The value for \"{name}\" does not fit the variable's type {}: {e}.", variable.ty),
                )
                .with_subject(expr.span()),
            ),
        }
    }
    for (name, variable) in variables {
        if call.inputs.contains_key(name) {
            continue;
        }
        if variable.is_required() {
            diags.push(
                Diagnostic::error(
                    "Missing required argument",
                    format!("The module \"{}\" requires a value for its variable \"{name}\".", call.name),
                )
                .with_subject(call.decl_span)
                .with_hint(format!("add {name} = ... to the module block")),
            );
        }
        values.insert(name.clone(), variable.default.clone());
    }
    values
}

/// `providers = { NAME = NAME.ALIAS }`: the same provider on both sides, and a configuration
/// the calling module has.
fn check_providers(parent: &ModuleNode, call: &ModuleCall, diags: &mut Diagnostics) {
    for pass in &call.providers {
        if pass.child.name != pass.parent.name {
            diags.push(
                Diagnostic::error(
                    "Invalid providers argument",
                    format!(
                        "The module \"{}\" is given {} for the provider \"{}\"; a configuration can only stand for its own provider.",
                        call.name, pass.parent, pass.child.name
                    ),
                )
                .with_subject(pass.span)
                .with_hint(format!("write {} = {}.ALIAS", pass.child.name, pass.child.name)),
            );
            continue;
        }
        if pass.parent.alias.is_some() && !parent.module.providers.iter().any(|p| p.addr == pass.parent) {
            diags.push(
                Diagnostic::error(
                    "Provider configuration not present",
                    format!(
                        "The module \"{}\" is given {}, but the calling module has no provider \"{}\" block with alias = \"{}\".",
                        call.name,
                        pass.parent,
                        pass.parent.name,
                        pass.parent.alias.clone().unwrap_or_default()
                    ),
                )
                .with_subject(pass.span)
                .with_hint("declare the aliased provider block in the calling (root) module"),
            );
        }
    }
}
