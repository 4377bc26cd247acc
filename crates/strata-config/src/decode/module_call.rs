//! `module "name" { source = "./path" ... }`.

use std::collections::BTreeMap;

use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::Block;
use strata_addrs::ProviderConfigAddr;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};

use super::{labels, span_of};
use crate::{Expr, Module, ModuleCall, ProviderPass};

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
        providers: Vec::new(),
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
            "providers" => call.providers = provider_passes(file, &attribute.value, diags),
            "version" => diags.push(
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

/// `providers = { strata = strata.other, local = local }`: keys name the child's provider (its
/// default configuration), values a configuration of the calling module.
fn provider_passes(file: FileId, value: &Expression, diags: &mut Diagnostics) -> Vec<ProviderPass> {
    let Expression::Object(object) = value else {
        diags.push(
            Diagnostic::error(
                "Invalid providers argument",
                "The providers argument is a map from a provider name in the child module to a provider configuration of this module, such as { strata = strata.other }.",
            )
            .with_subject(span_of(file, value)),
        );
        return Vec::new();
    };
    let mut passes: Vec<ProviderPass> = Vec::new();
    for (key, entry) in object.iter() {
        let child = match key {
            ObjectKey::Ident(ident) => Some(ident.value().as_str().to_owned()),
            ObjectKey::Expression(Expression::Variable(variable)) => Some(variable.value().as_str().to_owned()),
            ObjectKey::Expression(_) => None,
        };
        let key_span = match key {
            ObjectKey::Ident(ident) => span_of(file, ident),
            ObjectKey::Expression(expr) => span_of(file, expr),
        };
        let Some(child) = child else {
            diags.push(
                Diagnostic::error(
                    "Invalid providers argument",
                    "A key of the providers map names a provider of the child module without an alias (such as strata); child modules declare no provider aliases of their own.",
                )
                .with_subject(key_span)
                .with_hint("write { strata = strata.other }"),
            );
            continue;
        };
        let Some(parent) = super::resource::provider_config_reference(file, entry.expr(), diags) else { continue };
        if passes.iter().any(|p| p.child.name == child) {
            diags.push(
                Diagnostic::error(
                    "Duplicate provider in providers argument",
                    format!("The provider \"{child}\" is given more than once."),
                )
                .with_subject(key_span),
            );
            continue;
        }
        passes.push(ProviderPass { child: ProviderConfigAddr::default_for(child), parent, span: key_span });
    }
    passes
}
