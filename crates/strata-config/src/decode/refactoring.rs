//! `moved`, `import` and `check` blocks.

use hcl::edit::expr::Expression;
use hcl::edit::structure::Block;
use strata_addrs::{InstanceKey, ModulePath, ResourceInstanceAddr, ResourceMode};
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};

use super::{Fields, labels, span_of};
use crate::{Check, Expr, Import, Module, ModuleMoved, Moved};

pub(super) fn decode_moved(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(fields) = Fields::new(file, block, &["from", "to"], diags) else { return };
    fields.blocks(&[], diags);
    let (Some(from_attribute), Some(to_attribute)) = (fields.required("from", diags), fields.required("to", diags))
    else {
        return;
    };
    let is_module = |expr: &Expression| module_root(expr).is_some();
    if is_module(&from_attribute.value) || is_module(&to_attribute.value) {
        let from = module_address(file, &from_attribute.value, diags);
        let to = module_address(file, &to_attribute.value, diags);
        if let (Some(from), Some(to)) = (from, to) {
            module.moved_modules.push(ModuleMoved { from, to, span: span_of(file, &block.ident) });
        }
        return;
    }
    let from = address(file, &from_attribute.value, diags);
    let to = address(file, &to_attribute.value, diags);
    let (Some(from), Some(to)) = (from, to) else { return };
    if from.resource.resource.type_name != to.resource.resource.type_name {
        diags.push(
            Diagnostic::error("Invalid moved block", format!("{from} and {to} are of different resource types; an object can only move to an address of its own type."))
                .with_subject(span_of(file, &block.ident)),
        );
        return;
    }
    module.moved.push(Moved { from, to, span: span_of(file, &block.ident) });
}

pub(super) fn decode_import(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(fields) = Fields::new(file, block, &["to", "id"], diags) else { return };
    fields.blocks(&[], diags);
    let to = fields.required("to", diags).and_then(|a| match module_root(&a.value) {
        Some(_) => module_resource_address(file, &a.value, diags),
        None => address(file, &a.value, diags),
    });
    let id = fields.required("id", diags).map(|a| Expr::new(file, a.value.clone()));
    let (Some(to), Some(id)) = (to, id) else { return };
    module.imports.push(Import { to, id, span: span_of(file, &block.ident) });
}

pub(super) fn decode_check(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(names) = labels(file, block, "check", &["name"], diags) else { return };
    let name = names[0].to_owned();
    let Some(fields) = Fields::new(file, block, &[], diags) else { return };
    let mut asserts = Vec::new();
    for inner in fields.blocks(&["assert"], diags) {
        let Some(rule) = Fields::new(file, inner, &["condition", "error_message"], diags) else { continue };
        let condition = rule.required("condition", diags).map(|a| Expr::new(file, a.value.clone()));
        let message = rule.required("error_message", diags).map(|a| Expr::new(file, a.value.clone()));
        if let (Some(c), Some(m)) = (condition, message) {
            asserts.push((c, m));
        }
    }
    if asserts.is_empty() {
        diags.push(
            Diagnostic::error(
                "Missing assert block",
                "A check block needs at least one assert { condition, error_message } block.",
            )
            .with_subject(span_of(file, &block.ident)),
        );
        return;
    }
    module.checks.push(Check { name, asserts, span: span_of(file, &block.ident) });
}

/// A static resource instance address written as a reference: `strata_data.a`,
/// `strata_data.a[0]`, `strata_data.a["k"]` (root module only).
fn address(file: FileId, expr: &Expression, diags: &mut Diagnostics) -> Option<ResourceInstanceAddr> {
    let invalid = |diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::error(
                "Invalid address",
                "Write a resource instance address such as strata_data.a or strata_data.a[\"key\"], without quotes.",
            )
            .with_subject(span_of(file, expr)),
        );
        None
    };
    let references = strata_eval::references(expr, file);
    let [reference] = references.as_slice() else { return invalid(diags) };
    if matches!(reference.root.as_str(), "var" | "local" | "module" | "data" | "count" | "each" | "path" | "self") {
        return invalid(diags);
    }
    let Some(name) = reference.step(0) else { return invalid(diags) };
    let key = match reference.steps.get(1) {
        None => InstanceKey::None,
        Some(strata_eval::ReferenceStep::Index(text)) => match text.parse::<i64>() {
            Ok(i) if matches!(expr, Expression::Traversal(t) if matches!(t.operators.last().map(|o| o.value()), Some(hcl::edit::expr::TraversalOperator::Index(Expression::Number(_)) | hcl::edit::expr::TraversalOperator::LegacyIndex(_)))) => {
                InstanceKey::Int(i)
            }
            _ => InstanceKey::String(text.clone()),
        },
        Some(_) => return invalid(diags),
    };
    if reference.steps.len() > 2 {
        return invalid(diags);
    }
    Some(ResourceInstanceAddr {
        resource: strata_addrs::AbsResourceAddr {
            module: ModulePath::root(),
            resource: strata_addrs::ResourceAddr {
                mode: ResourceMode::Managed,
                type_name: reference.root.clone(),
                name: name.to_owned(),
            },
        },
        key,
    })
}

/// A resource instance in a module instance written as a reference (import targets):
/// `module.web[0].strata_data.x`, `module.db["eu"].module.inner.strata_file.f["k"]`.
fn module_resource_address(file: FileId, expr: &Expression, diags: &mut Diagnostics) -> Option<ResourceInstanceAddr> {
    use hcl::edit::Decorate;
    let mut bare = expr.clone();
    bare.decor_mut().clear();
    let text = bare.to_string();
    match text.trim().parse::<ResourceInstanceAddr>() {
        Ok(addr) if addr.resource.resource.mode == ResourceMode::Managed => Some(addr),
        _ => {
            diags.push(
                Diagnostic::error(
                    "Invalid address",
                    "Write a resource instance address such as module.web[0].strata_data.a or \
                     module.db[\"key\"].strata_data.a, without quotes.",
                )
                .with_subject(span_of(file, expr))
                .with_hint("a module address alone (module.web[0]) cannot be imported into: name a resource in it"),
            );
            None
        }
    }
}

/// The traversal of an expression rooted at `module`, if it is one.
fn module_root(expr: &Expression) -> Option<&hcl::edit::expr::Traversal> {
    match expr {
        Expression::Traversal(traversal) if matches!(&traversal.expr, Expression::Variable(v) if v.value().as_str() == "module") => {
            Some(traversal)
        }
        _ => None,
    }
}

/// A module (instance) address written as a reference: `module.a`, `module.a[0]`,
/// `module.a["k"].module.b` (calls of the root module).
fn module_address(file: FileId, expr: &Expression, diags: &mut Diagnostics) -> Option<ModulePath> {
    use hcl::edit::expr::TraversalOperator;
    let invalid = |diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::error(
                "Invalid address",
                "Both ends of a module move are module addresses such as module.a, module.a[0] or module.a[\"key\"], without quotes.",
            )
            .with_subject(span_of(file, expr))
            .with_hint("a resource moves into a module only together with its module: moved { from = module.a, to = module.a[0] }"),
        );
        None
    };
    let Some(traversal) = module_root(expr) else { return invalid(diags) };
    let mut path = ModulePath::root();
    // `module` was the root; steps follow as NAME [KEY] (.module NAME [KEY])*.
    let mut operators = traversal.operators.iter().map(|o| o.value()).peekable();
    let mut first = true;
    loop {
        if !first {
            match operators.next() {
                None => break,
                Some(TraversalOperator::GetAttr(ident)) if ident.value().as_str() == "module" => {}
                Some(_) => return invalid(diags),
            }
        }
        first = false;
        let Some(TraversalOperator::GetAttr(name)) = operators.next() else { return invalid(diags) };
        let key = match operators.peek() {
            Some(TraversalOperator::Index(Expression::Number(n))) => match n.value().as_i64() {
                Some(i) => InstanceKey::Int(i),
                None => return invalid(diags),
            },
            Some(TraversalOperator::LegacyIndex(i)) => match i64::try_from(*i.value()) {
                Ok(i) => InstanceKey::Int(i),
                Err(_) => return invalid(diags),
            },
            Some(TraversalOperator::Index(Expression::String(s))) => InstanceKey::String(s.value().to_string()),
            Some(TraversalOperator::Index(_)) => return invalid(diags),
            _ => InstanceKey::None,
        };
        if key != InstanceKey::None {
            operators.next();
        }
        path = path.child_instance(name.value().as_str(), key);
    }
    Some(path)
}
