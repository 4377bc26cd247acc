//! `module "name" { source = "./path" ... }`.

use std::collections::BTreeMap;

use hcl::edit::structure::Block;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};

use super::{labels, span_of};
use crate::{Expr, Module, ModuleCall};

pub(super) fn decode(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(names) = labels(file, block, "module", &["name"], diags) else { return };
    let name = names[0].to_owned();
    let decl_span =
        span_of(file, &block.ident).zip(block.labels.first().and_then(|l| span_of(file, l))).map(|(a, b)| a.to(b));
    let mut call = ModuleCall {
        name: name.clone(),
        source: String::new(),
        source_span: None,
        inputs: BTreeMap::new(),
        count: None,
        for_each: None,
        depends_on: Vec::new(),
        decl_span,
    };
    let mut has_source = false;
    for attribute in block.body.attributes() {
        let key = attribute.key.value().as_str();
        let expr = Expr::new(file, attribute.value.clone());
        match key {
            "source" => {
                has_source = true;
                call.source_span = span_of(file, &attribute.value);
                match super::fields::constant_value(file, &attribute.value, &strata_value::Type::String, diags) {
                    Some(v) => call.source = v.as_str().unwrap_or_default().to_owned(),
                    None => return,
                }
            }
            "count" => call.count = Some(expr),
            "for_each" => call.for_each = Some(expr),
            "depends_on" => call.depends_on = super::resource::depends_on_list(file, attribute, diags),
            "version" | "providers" => diags.push(
                Diagnostic::error(
                    "Unsupported argument",
                    format!("Only local modules are supported, so \"{key}\" has no meaning here."),
                )
                .with_subject(span_of(file, &attribute.key)),
            ),
            _ => {
                call.inputs.insert(key.to_owned(), (expr, span_of(file, &attribute.key)));
            }
        }
    }
    for inner in block.body.blocks() {
        diags.push(
            Diagnostic::error(
                "Unsupported block type",
                format!("Blocks of type \"{}\" are not expected in a module block.", inner.ident.value()),
            )
            .with_subject(span_of(file, &inner.ident)),
        );
    }
    if !has_source {
        diags.push(super::fields::missing_argument(file, block, "source"));
        return;
    }
    if let Some(previous) = module.module_calls.get(&name) {
        diags.push(
            Diagnostic::error("Duplicate module call", format!("A module call named \"{name}\" was already defined. Module calls must have unique names within a module."))
                .with_subject(decl_span)
                .with_context(previous.decl_span),
        );
        return;
    }
    module.module_calls.insert(name, call);
}
