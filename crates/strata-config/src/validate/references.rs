//! Every reference must name something declared.

use strata_diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use strata_eval::{RawReference, ReferenceStep};
use strata_schema::SchemaSource;

use crate::{ExprRef, ModuleNode, Resource};

/// What a place in the configuration may refer to besides the module's declarations.
#[derive(Clone, Copy, Default)]
pub(crate) struct Allowed {
    pub count: bool,
    pub each: bool,
    pub self_object: bool,
}

pub(crate) fn check_module(node: &ModuleNode, schemas: &dyn SchemaSource, diags: &mut Diagnostics) {
    let module = &node.module;
    let checker = Checker { node, schemas };
    let none = Allowed::default();
    for local in module.locals.values() {
        checker.expr(&local.expr, none, &[], diags);
    }
    for output in module.outputs.values() {
        checker.expr(&output.value, none, &[], diags);
    }
    for variable in module.variables.values() {
        for rule in &variable.validations {
            checker.expr(&rule.condition, none, &[], diags);
            checker.expr(&rule.error_message, none, &[], diags);
        }
    }
    for resource in module.resources.values() {
        let allowed =
            Allowed { count: resource.count.is_some(), each: resource.for_each.is_some(), self_object: false };
        for expr in resource.count.iter().chain(&resource.for_each) {
            checker.expr(expr, none, &[], diags);
        }
        crate::validate::walk_body(resource.body.file, &resource.body.body, &mut Vec::new(), &mut |expr, iterators| {
            checker.expr(expr, allowed, iterators, diags);
        });
        let lifecycle = &resource.lifecycle;
        for expr in lifecycle.create_before_destroy.iter().chain(&lifecycle.prevent_destroy).chain(&lifecycle.transient)
        {
            checker.expr(expr, none, &[], diags);
        }
        for (condition, message) in &lifecycle.preconditions {
            checker.expr(condition, allowed, &[], diags);
            checker.expr(message, allowed, &[], diags);
        }
        for (condition, message) in &lifecycle.postconditions {
            let with_self = Allowed { self_object: true, ..allowed };
            checker.expr(condition, with_self, &[], diags);
            checker.expr(message, with_self, &[], diags);
        }
        for expr in &lifecycle.replace_triggered_by {
            checker.expr(expr, allowed, &[], diags);
        }
    }
    for check in &module.checks {
        for (condition, message) in &check.asserts {
            checker.expr(condition, none, &[], diags);
            checker.expr(message, none, &[], diags);
        }
    }
    for import in &module.imports {
        checker.expr(&import.id, none, &[], diags);
        if !node.path.is_root() {
            diags.push(
                Diagnostic::error(
                    "Invalid import block",
                    format!("An import block is in {}; import blocks are allowed only in the root module.", node.path),
                )
                .with_subject(import.span)
                .with_hint(
                    "move it to the root module, with `to` naming the module instance (module.NAME[KEY].TYPE.NAME)",
                ),
            );
        } else if let Err(diagnostic) = import_target(node, &import.to) {
            diags.push(diagnostic.with_subject(import.span));
        }
    }
    for call in module.module_calls.values() {
        let allowed = Allowed { count: call.count.is_some(), each: call.for_each.is_some(), self_object: false };
        for (expr, _) in call.inputs.values() {
            checker.expr(expr, allowed, &[], diags);
        }
        for expr in call.count.iter().chain(&call.for_each) {
            checker.expr(expr, none, &[], diags);
        }
    }
}

/// An import target's modules are called (with a key of the kind their `count`/`for_each`
/// makes) and its resource declared there (likewise). Which keys exist is known only when
/// planning, which checks the instance again.
fn import_target(root: &ModuleNode, to: &strata_addrs::ResourceInstanceAddr) -> Result<(), Diagnostic> {
    const SUMMARY: &str = "Configuration for import target does not exist";
    let mut node = root;
    for (depth, step) in to.resource.module.steps().iter().enumerate() {
        let Some(call) = node.module.module_calls.get(&step.name) else {
            let at = if depth == 0 { "the root module".to_owned() } else { node.path.to_string() };
            let calls = node.module.module_calls.keys().map(String::as_str);
            return Err(Diagnostic::error(
                SUMMARY,
                format!("The import block names {to}, but {at} does not call a module \"{}\".", step.name),
            )
            .with_optional_hint(did_you_mean(&step.name, calls)));
        };
        let Some(child) = node.children.get(&step.name) else { return Ok(()) };
        key_fits(&format!("module.{}", step.name), &step.key, call.count.is_some(), call.for_each.is_some(), to)?;
        node = child;
    }
    let Some(resource) = node.module.resources.get(&to.resource.resource) else {
        let at = if node.path.is_root() { "this module".to_owned() } else { node.path.to_string() };
        return Err(Diagnostic::error(
            SUMMARY,
            format!("The import block names {to}, but no such resource is declared in {at}."),
        )
        .with_hint("add a resource block for it, then plan to see how the object differs from it"));
    };
    key_fits(&to.resource.resource.to_string(), &to.key, resource.count.is_some(), resource.for_each.is_some(), to)
}

/// Whether `key` is of the kind `count` (a number), `for_each` (a string) or neither (none)
/// makes.
fn key_fits(
    name: &str,
    key: &strata_addrs::InstanceKey,
    count: bool,
    for_each: bool,
    to: &strata_addrs::ResourceInstanceAddr,
) -> Result<(), Diagnostic> {
    use strata_addrs::InstanceKey;
    let expected = match (count, for_each) {
        (true, _) if !matches!(key, InstanceKey::Int(_)) => "has count: name one of its instances with a number, [0]",
        (_, true) if !matches!(key, InstanceKey::String(_)) => {
            "has for_each: name one of its instances with a key, [\"key\"]"
        }
        (false, false) if *key != InstanceKey::None => "has neither count nor for_each: name it without a key",
        _ => return Ok(()),
    };
    Err(Diagnostic::error(
        "Configuration for import target does not exist",
        format!("The import block names {to}, but {name} {expected}."),
    ))
}

struct Checker<'a> {
    node: &'a ModuleNode,
    schemas: &'a dyn SchemaSource,
}

impl Checker<'_> {
    fn expr<'e>(&self, expr: impl Into<ExprRef<'e>>, allowed: Allowed, iterators: &[String], diags: &mut Diagnostics) {
        for reference in expr.into().references() {
            if iterators.contains(&reference.root) {
                continue;
            }
            if let Some(d) = self.reference(&reference, allowed) {
                diags.push(d);
            }
        }
    }

    fn reference(&self, r: &RawReference, allowed: Allowed) -> Option<Diagnostic> {
        let module = &self.node.module;
        let error = |summary: &str, detail: String| Some(Diagnostic::error(summary, detail).with_subject(r.span));
        let first = r.steps.first();
        match r.root.as_str() {
            "var" => {
                let Some(name) = named(first) else {
                    return error(
                        "Invalid reference",
                        "The \"var\" object cannot be used on its own. Name a variable: var.NAME.".into(),
                    );
                };
                if module.variables.contains_key(name) {
                    return None;
                }
                error(
                    "Reference to undeclared input variable",
                    format!("An input variable named \"{name}\" has not been declared. Declare it with a variable \"{name}\" {{}} block."),
                )
                .map(|d| d.with_optional_hint(did_you_mean(name, module.variables.keys().map(String::as_str))))
            }
            "local" => {
                let Some(name) = named(first) else {
                    return error(
                        "Invalid reference",
                        "The \"local\" object cannot be used on its own. Name a local value: local.NAME.".into(),
                    );
                };
                if module.locals.contains_key(name) {
                    return None;
                }
                error(
                    "Reference to undeclared local value",
                    format!("A local value named \"{name}\" has not been declared."),
                )
                .map(|d| d.with_optional_hint(did_you_mean(name, module.locals.keys().map(String::as_str))))
            }
            "module" => self.module_reference(r),
            "count" => {
                if !allowed.count {
                    return error(
                        "Reference to \"count\" in non-counted context",
                        "The \"count\" object can only be used in resource and module blocks that set the count argument.".into(),
                    );
                }
                match r.step(0) {
                    Some("index") => None,
                    _ => error(
                        "Invalid \"count\" attribute",
                        "The \"count\" object has one attribute: count.index.".into(),
                    ),
                }
            }
            "each" => {
                if !allowed.each {
                    return error(
                        "Reference to \"each\" in context without for_each",
                        "The \"each\" object can only be used in resource and module blocks that set the for_each argument.".into(),
                    );
                }
                match r.step(0) {
                    Some("key" | "value") => None,
                    _ => error(
                        "Invalid \"each\" attribute",
                        "The \"each\" object has two attributes: each.key and each.value.".into(),
                    ),
                }
            }
            "path" => match r.step(0) {
                Some("module" | "root" | "cwd") => None,
                _ => error(
                    "Invalid \"path\" attribute",
                    "The \"path\" object has the attributes module, root and cwd.".into(),
                ),
            },
            "self" if allowed.self_object => None,
            "self" => {
                error("Invalid \"self\" reference", "The \"self\" object can only be used in postconditions.".into())
            }
            "data" => {
                let (Some(type_name), Some(name)) = (named(first), r.step(1)) else {
                    return error(
                        "Invalid data source reference",
                        "A data source is referred to as data.TYPE.NAME.".into(),
                    );
                };
                let addr = strata_addrs::ResourceAddr::data(type_name, name);
                match module.resources.get(&addr) {
                    Some(resource) => self.attribute_check(r, 2, resource),
                    None => self.undeclared_resource(r, &addr),
                }
            }
            type_name => {
                let Some(name) = named(first) else {
                    let known = self.schemas.resource(type_name).is_some();
                    return error(
                        if known { "Invalid reference" } else { "Reference to undeclared resource" },
                        if known {
                            format!(
                                "A reference to a resource type must be followed by the resource name: {type_name}.NAME."
                            )
                        } else {
                            format!("There is no variable, local value or resource type named \"{type_name}\".")
                        },
                    );
                };
                let addr = strata_addrs::ResourceAddr::managed(type_name, name);
                match module.resources.get(&addr) {
                    Some(resource) => self.attribute_check(r, 1, resource),
                    None => self.undeclared_resource(r, &addr),
                }
            }
        }
    }

    fn undeclared_resource(&self, r: &RawReference, addr: &strata_addrs::ResourceAddr) -> Option<Diagnostic> {
        let declared: Vec<String> = self.node.module.resources.keys().map(ToString::to_string).collect();
        Some(
            Diagnostic::error(
                "Reference to undeclared resource",
                format!("A resource \"{}\" \"{}\" has not been declared in this module.", addr.type_name, addr.name),
            )
            .with_subject(r.span)
            .with_optional_hint(did_you_mean(&addr.to_string(), declared.iter().map(String::as_str))),
        )
    }

    /// Checks instance keys and the attribute name after `resource.NAME` (at step `after`).
    fn attribute_check(&self, r: &RawReference, after: usize, resource: &Resource) -> Option<Diagnostic> {
        let repeated = resource.count.is_some() || resource.for_each.is_some();
        let mut next = r.steps.get(after);
        match next {
            Some(ReferenceStep::Index(_)) if !repeated => {
                return Some(
                    Diagnostic::error(
                        "Unexpected resource instance key",
                        format!("{} has neither count nor for_each set, so it cannot be indexed.", resource.addr),
                    )
                    .with_subject(r.span),
                );
            }
            Some(ReferenceStep::Attribute(name)) if repeated => {
                let which = if resource.count.is_some() { "count" } else { "for_each" };
                return Some(
                    Diagnostic::error(
                        "Missing resource instance key",
                        format!("Because {} has \"{which}\" set, its attributes must be read from one instance, not \"{name}\" of the whole resource.", resource.addr),
                    )
                    .with_subject(r.span)
                    .with_hint(format!("write {}[KEY].{name}, or {}[*].{name} for all instances", resource.addr, resource.addr)),
                );
            }
            Some(ReferenceStep::Index(_)) => next = r.steps.get(after + 1),
            _ => {}
        }
        let Some(ReferenceStep::Attribute(name)) = next else { return None };
        let schema = match resource.addr.mode {
            strata_addrs::ResourceMode::Managed => self.schemas.resource(&resource.addr.type_name),
            strata_addrs::ResourceMode::Data => self.schemas.data_source(&resource.addr.type_name),
        }?;
        if schema.block.attributes.contains_key(name) || schema.block.blocks.contains_key(name) {
            return None;
        }
        let names = schema.block.attributes.keys().chain(schema.block.blocks.keys()).map(String::as_str);
        Some(
            Diagnostic::error(
                "Unsupported attribute",
                format!(
                    "{} has no argument, nested block or exported attribute named \"{name}\".",
                    resource.addr.type_name
                ),
            )
            .with_subject(r.span)
            .with_optional_hint(did_you_mean(name, names)),
        )
    }

    fn module_reference(&self, r: &RawReference) -> Option<Diagnostic> {
        let module = &self.node.module;
        let error = |summary: &str, detail: String| Some(Diagnostic::error(summary, detail).with_subject(r.span));
        let Some(name) = named(r.steps.first()) else {
            return error(
                "Invalid reference",
                "The \"module\" object cannot be used on its own. Name a module call: module.NAME.".into(),
            );
        };
        let Some(call) = module.module_calls.get(name) else {
            return error(
                "Reference to undeclared module",
                format!("No module call named \"{name}\" is declared in this module."),
            )
            .map(|d| d.with_optional_hint(did_you_mean(name, module.module_calls.keys().map(String::as_str))));
        };
        let repeated = call.count.is_some() || call.for_each.is_some();
        let output_step = if repeated { r.steps.get(2) } else { r.steps.get(1) };
        let Some(ReferenceStep::Attribute(output)) = output_step else { return None };
        let child = self.node.children.get(name)?;
        if child.module.outputs.contains_key(output) {
            return None;
        }
        error("Unsupported attribute", format!("The module \"{name}\" has no output named \"{output}\"."))
            .map(|d| d.with_optional_hint(did_you_mean(output, child.module.outputs.keys().map(String::as_str))))
    }
}

/// The first step when it is an attribute name.
fn named(step: Option<&ReferenceStep>) -> Option<&str> {
    match step {
        Some(ReferenceStep::Attribute(n)) => Some(n),
        _ => None,
    }
}
