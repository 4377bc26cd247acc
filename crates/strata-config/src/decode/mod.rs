//! Decoding file bodies into a [`Module`].

pub(crate) mod fields;
mod module_call;
mod output;
mod provider;
mod refactoring;
mod resource;
mod settings;
mod timeouts;
mod variable;

use hcl::edit::structure::{Block, Body, Structure};
use strata_diagnostics::{Diagnostic, Diagnostics, FileId, did_you_mean};

use crate::Module;
pub(crate) use fields::{Fields, span_of};

const TOP_LEVEL_BLOCKS: [&str; 11] =
    ["strata", "variable", "locals", "output", "provider", "resource", "data", "module", "moved", "import", "check"];

/// Adds the declarations of one file to `module`. The parsed body is consumed: resource bodies
/// move into the model instead of being copied (the copy was half the time of decoding).
pub(crate) fn decode_file(module: &mut Module, file: FileId, body: Body, diags: &mut Diagnostics) {
    for structure in body {
        match structure {
            Structure::Attribute(attribute) => diags.push(
                Diagnostic::error(
                    "Unsupported argument",
                    format!(
                        "An argument named \"{}\" is not expected at the top level of a file.",
                        attribute.key.value()
                    ),
                )
                .with_subject(span_of(file, &attribute.key))
                .with_hint("arguments belong inside a block, such as a resource or a locals block"),
            ),
            Structure::Block(block) => decode_block(module, file, block, diags),
        }
    }
}

fn decode_block(module: &mut Module, file: FileId, block: Block, diags: &mut Diagnostics) {
    match block.ident.value().as_str() {
        "strata" => settings::decode(module, file, &block, diags),
        "variable" => variable::decode(module, file, &block, diags),
        "locals" => decode_locals(module, file, &block, diags),
        "output" => output::decode(module, file, &block, diags),
        "provider" => provider::decode(module, file, &block, diags),
        "resource" => resource::decode(module, file, block, strata_addrs::ResourceMode::Managed, diags),
        "data" => resource::decode(module, file, block, strata_addrs::ResourceMode::Data, diags),
        "module" => module_call::decode(module, file, &block, diags),
        "moved" => refactoring::decode_moved(module, file, &block, diags),
        "import" => refactoring::decode_import(module, file, &block, diags),
        "check" => refactoring::decode_check(module, file, &block, diags),
        other => diags.push(
            Diagnostic::error("Unsupported block type", format!("Blocks of type \"{other}\" are not expected here."))
                .with_subject(span_of(file, &block.ident))
                .with_optional_hint(did_you_mean(other, TOP_LEVEL_BLOCKS)),
        ),
    }
}

fn decode_locals(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(fields) = Fields::new(file, block, &[], diags) else { return };
    for structure in block.body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let name = attribute.key.value().as_str().to_owned();
                let name_span = span_of(file, &attribute.key);
                if let Some(previous) = module.locals.get(&name) {
                    diags.push(
                        Diagnostic::error(
                            "Duplicate local value definition",
                            format!("A local value named \"{name}\" was already defined. Local value names must be unique within a module."),
                        )
                        .with_subject(name_span)
                        .with_context(previous.name_span),
                    );
                    continue;
                }
                let expr = crate::Expr::new(file, attribute.value.clone());
                module.locals.insert(name.clone(), crate::Local { name, expr, name_span });
            }
            Structure::Block(inner) => fields.unexpected_block(inner, &[], diags),
        }
    }
}

/// Checks a block has the labels it needs: `names` describes them ("type", "name").
pub(crate) fn labels<'b>(
    file: FileId,
    block: &'b Block,
    kind: &str,
    names: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<&'b str>> {
    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
    if labels.len() == names.len() {
        for (label, text) in block.labels.iter().zip(&labels) {
            if !is_identifier(text) {
                diags.push(
                    Diagnostic::error(
                        &format!("Invalid {kind} name") as &str,
                        format!("\"{text}\" is not a valid name. A name must start with a letter or underscore and may contain only letters, digits, underscores and dashes."),
                    )
                    .with_subject(span_of(file, label)),
                );
                return None;
            }
        }
        return Some(labels);
    }
    let (summary, subject) = if labels.len() < names.len() {
        (format!("Missing name for {kind}"), span_of(file, &block.ident))
    } else {
        (format!("Extraneous label for {kind}"), block.labels.get(names.len()).and_then(|l| span_of(file, l)))
    };
    let expected = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    diags.push(
        Diagnostic::error(
            summary,
            format!("A {kind} block takes {} label(s): {expected}, but this one has {}.", names.len(), labels.len()),
        )
        .with_subject(subject),
    );
    None
}

pub(crate) fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}
