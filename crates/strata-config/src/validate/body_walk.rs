//! Walking every expression of a resource body, nested and dynamic blocks included.

use hcl::edit::structure::{Body, Structure};
use strata_diagnostics::FileId;

use crate::{ExprRef, Resource};

/// Calls `f` with every expression in `body` and the iterator names of the `dynamic` blocks
/// around it (those names are valid references inside `content`).
pub(crate) fn walk_body<'a>(
    file: FileId,
    body: &'a Body,
    iterators: &mut Vec<String>,
    f: &mut impl FnMut(ExprRef<'a>, &[String]),
) {
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => f(ExprRef { file, expr: &attribute.value }, iterators),
            Structure::Block(block) if block.ident.value().as_str() == "dynamic" => {
                let label = block.labels.first().map(|l| l.as_str().to_owned()).unwrap_or_default();
                let iterator = block
                    .body
                    .get_attribute("iterator")
                    .and_then(|a| a.value.as_variable().map(|v| v.as_str().to_owned()))
                    .unwrap_or(label);
                for attribute in block.body.attributes() {
                    match attribute.key.value().as_str() {
                        "for_each" => f(ExprRef { file, expr: &attribute.value }, iterators),
                        "labels" => {
                            iterators.push(iterator.clone());
                            f(ExprRef { file, expr: &attribute.value }, iterators);
                            iterators.pop();
                        }
                        _ => {}
                    }
                }
                iterators.push(iterator);
                for content in block.body.blocks() {
                    walk_body(file, &content.body, iterators, f);
                }
                iterators.pop();
            }
            Structure::Block(block) => walk_body(file, &block.body, iterators, f),
        }
    }
}

/// Every expression a resource's arguments and lifecycle hold (not count/for_each/depends_on).
pub fn body_expressions(resource: &Resource) -> Vec<ExprRef<'_>> {
    let mut out = Vec::new();
    walk_body(resource.body.file, &resource.body.body, &mut Vec::new(), &mut |expr, _| out.push(expr));
    let lifecycle = &resource.lifecycle;
    out.extend(lifecycle.create_before_destroy.iter().map(ExprRef::from));
    out.extend(lifecycle.prevent_destroy.iter().map(ExprRef::from));
    out.extend(lifecycle.transient.iter().map(ExprRef::from));
    for (condition, message) in lifecycle.preconditions.iter().chain(&lifecycle.postconditions) {
        out.push(condition.into());
        out.push(message.into());
    }
    out
}
