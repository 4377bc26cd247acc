//! `resource "type" "name" { ... }` and `data "type" "name" { ... }`.

use hcl::edit::expr::Expression;
use hcl::edit::structure::{Attribute, Block, Body, Structure};
use strata_addrs::{ProviderConfigAddr, ResourceAddr, ResourceMode};
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};

use super::{Fields, labels, span_of};
use crate::{Expr, Lifecycle, Module, Resource, ResourceBody, Timeouts};

const META_ARGUMENTS: [&str; 4] = ["count", "for_each", "depends_on", "provider"];
const LIFECYCLE_ARGUMENTS: [&str; 5] =
    ["create_before_destroy", "prevent_destroy", "transient", "ignore_changes", "replace_triggered_by"];

pub(super) fn decode(module: &mut Module, file: FileId, mut block: Block, mode: ResourceMode, diags: &mut Diagnostics) {
    let kind = if mode == ResourceMode::Managed { "resource" } else { "data" };
    let Some(names) = labels(file, &block, kind, &["type", "name"], diags) else { return };
    let addr = ResourceAddr { mode, type_name: names[0].to_owned(), name: names[1].to_owned() };
    let decl_span =
        span_of(file, &block.ident).zip(block.labels.last().and_then(|l| span_of(file, l))).map(|(a, b)| a.to(b));
    let type_span = block.labels.first().and_then(|l| span_of(file, l));

    let mut resource = Resource {
        addr: addr.clone(),
        count: None,
        for_each: None,
        depends_on: Vec::new(),
        provider: None,
        provider_span: None,
        lifecycle: Lifecycle::default(),
        timeouts: Timeouts::default(),
        // Filled below with the block's own structures, moved out of it.
        body: ResourceBody { file, body: Body::new() },
        decl_span,
        type_span,
    };
    for structure in block.body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let name = attribute.key.value().as_str();
                if !META_ARGUMENTS.contains(&name) {
                    continue;
                }
                let expr = Expr::new(file, attribute.value.clone());
                match name {
                    "count" => resource.count = Some(expr),
                    "for_each" => resource.for_each = Some(expr),
                    "depends_on" => resource.depends_on = depends_on_list(file, attribute, diags),
                    "provider" => {
                        resource.provider_span = span_of(file, &attribute.value);
                        resource.provider = provider_reference(file, attribute, diags);
                    }
                    _ => {}
                }
            }
            Structure::Block(inner) if inner.ident.value().as_str() == "lifecycle" => {
                if mode == ResourceMode::Data {
                    diags.push(
                        Diagnostic::error(
                            "Unsupported lifecycle block",
                            "Data sources do not have a lifecycle; only resources do.",
                        )
                        .with_subject(span_of(file, &inner.ident)),
                    );
                    continue;
                }
                decode_lifecycle(file, inner, &mut resource.lifecycle, diags);
            }
            Structure::Block(inner) if inner.ident.value().as_str() == "timeouts" => {
                super::timeouts::decode(file, inner, mode, &mut resource.timeouts, diags);
            }
            Structure::Block(_) => {}
        }
    }
    // Only type-specific content: meta-arguments, lifecycle and timeouts are decoded into
    // fields (the engine handles them; providers never see them).
    // Into a body of exactly its size: a structure is ~300 bytes, and the parser's vectors,
    // grown by pushes, keep room for four (1.2 KB per resource, a tenth of a plan's memory).
    let engine_only = |s: &Structure| match s {
        Structure::Attribute(a) => META_ARGUMENTS.contains(&a.key.value().as_str()),
        Structure::Block(b) => matches!(b.ident.value().as_str(), "lifecycle" | "timeouts"),
    };
    let body = std::mem::take(&mut block.body);
    resource.body.body = Body::with_capacity(body.iter().filter(|s| !engine_only(s)).count());
    resource.body.body.extend(body.into_iter().filter(|s| !engine_only(s)));
    if let (Some(count), Some(_)) = (&resource.count, &resource.for_each) {
        diags.push(
            Diagnostic::error(
                "Invalid combination of \"count\" and \"for_each\"",
                "The \"count\" and \"for_each\" meta-arguments are mutually-exclusive; only one may be used to say how many instances to create.",
            )
            .with_subject(count.span()),
        );
    }

    if module.resources.insert(Box::new(resource)).is_err() {
        let previous = module.resources.get(&addr).and_then(|p| p.decl_span);
        diags.push(
            Diagnostic::error(
                if mode == ResourceMode::Managed { "Duplicate resource configuration" } else { "Duplicate data configuration" },
                format!("A {kind} block for {addr} was already declared. Resource names must be unique per type in each module."),
            )
            .with_subject(decl_span)
            .with_context(previous),
        );
    }
}

/// `depends_on = [a.b, module.c]`: the list elements, each kept as an expression.
pub(super) fn depends_on_list(file: FileId, attribute: &Attribute, diags: &mut Diagnostics) -> Vec<Expr> {
    match &attribute.value {
        Expression::Array(items) => items.iter().map(|e| Expr::new(file, e.clone())).collect(),
        other => {
            diags.push(
                Diagnostic::error(
                    "Invalid depends_on reference",
                    "The depends_on argument must be a list of references to resources or modules.",
                )
                .with_subject(span_of(file, other)),
            );
            Vec::new()
        }
    }
}

/// `provider = local.b` or `provider = local`.
fn provider_reference(file: FileId, attribute: &Attribute, diags: &mut Diagnostics) -> Option<ProviderConfigAddr> {
    provider_config_reference(file, &attribute.value, diags)
}

/// A provider configuration written as a reference: `local` or `local.b`.
pub(super) fn provider_config_reference(
    file: FileId,
    value: &Expression,
    diags: &mut Diagnostics,
) -> Option<ProviderConfigAddr> {
    let references = strata_eval::references(value, file);
    match (references.as_slice(), value) {
        ([reference], Expression::Variable(_) | Expression::Traversal(_)) if reference.steps.len() <= 1 => {
            Some(ProviderConfigAddr { name: reference.root.clone(), alias: reference.step(0).map(str::to_owned) })
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    "Invalid provider reference",
                    "The provider argument takes a provider name, optionally with an alias, such as `local` or `local.second`; it is not quoted.",
                )
                .with_subject(span_of(file, value)),
            );
            None
        }
    }
}

fn decode_lifecycle(file: FileId, block: &Block, lifecycle: &mut Lifecycle, diags: &mut Diagnostics) {
    let Some(fields) = Fields::new(file, block, &LIFECYCLE_ARGUMENTS, diags) else { return };
    lifecycle.create_before_destroy = fields.expr("create_before_destroy");
    lifecycle.prevent_destroy = fields.expr("prevent_destroy");
    lifecycle.transient = fields.expr("transient");
    if let Some(attribute) = fields.get("ignore_changes") {
        match &attribute.value {
            Expression::Variable(v) if v.value().as_str() == "all" => lifecycle.ignore_all = true,
            Expression::Array(items) => {
                for item in items.iter() {
                    match attribute_path(item) {
                        Some(name) => lifecycle.ignore_changes.push((name, span_of(file, item))),
                        None => diags.push(
                            Diagnostic::error("Invalid ignore_changes attribute", "Each element of ignore_changes must be an attribute name of this resource, such as `tags` or `node_group[\"core\"].count`.")
                                .with_subject(span_of(file, item)),
                        ),
                    }
                }
            }
            other => diags.push(
                Diagnostic::error(
                    "Invalid ignore_changes attribute",
                    "ignore_changes takes a list of attribute names, or the keyword all.",
                )
                .with_subject(span_of(file, other)),
            ),
        }
    }
    if let Some(attribute) = fields.get("replace_triggered_by") {
        lifecycle.replace_triggered_by = depends_on_list(file, attribute, diags);
    }
    for inner in fields.blocks(&["precondition", "postcondition"], diags) {
        let Some(rule) = Fields::new(file, inner, &["condition", "error_message"], diags) else { continue };
        let condition = rule.required("condition", diags).map(|a| Expr::new(file, a.value.clone()));
        let message = rule.required("error_message", diags).map(|a| Expr::new(file, a.value.clone()));
        if let (Some(c), Some(m)) = (condition, message) {
            if inner.ident.value().as_str() == "precondition" {
                lifecycle.preconditions.push((c, m));
            } else {
                lifecycle.postconditions.push((c, m));
            }
        }
    }
}

/// The first attribute name of an `ignore_changes` element (`a`, `a.b`, `a["k"]`, `"a"`).
fn attribute_path(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Variable(v) => Some(v.value().as_str().to_owned()),
        Expression::String(s) => Some(s.value().clone()),
        Expression::Traversal(t) => attribute_path(&t.expr),
        _ => None,
    }
}
