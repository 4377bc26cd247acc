//! `output "name" { ... }`.

use hcl::edit::structure::Block;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};

use super::{Fields, labels, span_of};
use crate::{Module, Output};

const ARGUMENTS: [&str; 4] = ["value", "description", "sensitive", "depends_on"];

pub(super) fn decode(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(names) = labels(file, block, "output", &["name"], diags) else { return };
    let name = names[0].to_owned();
    let decl_span =
        span_of(file, &block.ident).zip(block.labels.first().and_then(|l| span_of(file, l))).map(|(a, b)| a.to(b));
    let Some(fields) = Fields::new(file, block, &ARGUMENTS, diags) else { return };
    fields.blocks(&[], diags);
    let Some(value) = fields.required("value", diags).map(|a| crate::Expr::new(file, a.value.clone())) else { return };
    let output = Output {
        name: name.clone(),
        value,
        description: fields.constant_string("description", diags),
        sensitive: fields.constant_bool("sensitive", diags).unwrap_or(false),
        depends_on: fields
            .get("depends_on")
            .map(|a| super::resource::depends_on_list(file, a, diags))
            .unwrap_or_default(),
        decl_span,
    };
    if let Some(previous) = module.outputs.get(&name) {
        diags.push(
            Diagnostic::error(
                "Duplicate output definition",
                format!("An output named \"{name}\" was already defined. Output names must be unique within a module."),
            )
            .with_subject(decl_span)
            .with_context(previous.decl_span),
        );
        return;
    }
    module.outputs.insert(name, output);
}
