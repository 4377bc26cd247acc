//! `variable "name" { ... }`.

use hcl::edit::structure::Block;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};
use strata_value::Type;

use super::{Fields, labels, span_of};
use crate::{Module, Validation, Variable};

const ARGUMENTS: [&str; 5] = ["type", "default", "description", "sensitive", "nullable"];
/// Names that would clash with meta-arguments of module calls.
const RESERVED: [&str; 7] = ["source", "version", "providers", "count", "for_each", "depends_on", "lifecycle"];

pub(super) fn decode(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(names) = labels(file, block, "variable", &["name"], diags) else { return };
    let name = names[0].to_owned();
    let decl_span =
        span_of(file, &block.ident).zip(block.labels.first().and_then(|l| span_of(file, l))).map(|(a, b)| a.to(b));
    if RESERVED.contains(&name.as_str()) {
        diags.push(
            Diagnostic::error(
                "Invalid variable name",
                format!(
                    "The name \"{name}\" is reserved for a meta-argument of module calls, so it cannot name a variable."
                ),
            )
            .with_subject(decl_span),
        );
        return;
    }
    let Some(fields) = Fields::new(file, block, &ARGUMENTS, diags) else { return };

    let ty = match fields.get("type") {
        Some(attribute) => match strata_eval::parse_type_constraint(&attribute.value, file) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                Type::Any
            }
        },
        None => Type::Any,
    };
    let default = fields.get("default").and_then(|a| super::fields::constant_value(file, &a.value, &ty, diags));
    let nullable = fields.constant_bool("nullable", diags).unwrap_or(true);
    if !nullable && default.as_ref().is_some_and(|d| d.is_null()) {
        diags.push(
            Diagnostic::error(
                "Invalid default value for variable",
                "This variable is not nullable, so its default cannot be null.",
            )
            .with_subject(fields.span("default")),
        );
    }

    let mut validations = Vec::new();
    for inner in fields.blocks(&["validation"], diags) {
        let Some(rule) = Fields::new(file, inner, &["condition", "error_message"], diags) else { continue };
        let condition = rule.required("condition", diags).map(|_| rule.expr("condition"));
        let message = rule.required("error_message", diags).map(|_| rule.expr("error_message"));
        if let (Some(Some(condition)), Some(Some(error_message))) = (condition, message) {
            validations.push(Validation { condition, error_message });
        }
    }

    let variable = Variable {
        name: name.clone(),
        ty,
        default,
        default_span: fields.span("default"),
        description: fields.constant_string("description", diags),
        sensitive: fields.constant_bool("sensitive", diags).unwrap_or(false),
        nullable,
        validations,
        decl_span,
    };
    if let Some(previous) = module.variables.get(&name) {
        diags.push(
            Diagnostic::error(
                "Duplicate variable declaration",
                format!(
                    "A variable named \"{name}\" was already declared. Variable names must be unique within a module."
                ),
            )
            .with_subject(decl_span)
            .with_context(previous.decl_span),
        );
        return;
    }
    module.variables.insert(name, variable);
}
