//! Resource blocks: schema, meta-arguments and lifecycle.

use strata_diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use strata_eval::ReferenceStep;
use strata_schema::{ResourceSchema, SchemaSource};
use strata_value::{Type, Value};

use super::count::{check_count, check_for_each};
use crate::scope::ModuleScope;
use crate::{ModuleNode, Resource};

pub(crate) fn check(node: &ModuleNode, schemas: &dyn SchemaSource, scope: &ModuleScope, diags: &mut Diagnostics) {
    let module = &node.module;
    for resource in module.resources.values() {
        if let Some(expr) = &resource.count {
            check_count(expr, module, scope, diags);
        }
        if let Some(expr) = &resource.for_each {
            check_for_each(expr, module, scope, diags);
        }
        check_depends_on(resource, diags);
        check_provider(node, schemas, resource, diags);
        let Some(schema) = schema_for(resource, schemas, diags) else { continue };
        let mut context = scope.context(resource.body.file);
        if resource.count.is_some() {
            context.extra.insert("count".into(), Value::map([("index".into(), Value::Unknown(Type::Number))]));
        }
        if resource.for_each.is_some() {
            context.extra.insert(
                "each".into(),
                Value::map([("key".into(), Value::Unknown(Type::String)), ("value".into(), Value::unknown())]),
            );
        }
        crate::evaluate_body(&resource.body.body, &schema.block, &context, resource.decl_span, diags);
        check_lifecycle(resource, schema, scope, diags);
    }
}

fn schema_for<'s>(
    resource: &Resource,
    schemas: &'s dyn SchemaSource,
    diags: &mut Diagnostics,
) -> Option<&'s ResourceSchema> {
    let type_name = &resource.addr.type_name;
    let schema = match resource.addr.mode {
        strata_addrs::ResourceMode::Managed => schemas.resource(type_name),
        strata_addrs::ResourceMode::Data => schemas.data_source(type_name),
    };
    if schema.is_none() {
        // Listed only for the hint: listing every type for each resource was 1 % of a plan.
        let known = match resource.addr.mode {
            strata_addrs::ResourceMode::Managed => schemas.resource_types(),
            strata_addrs::ResourceMode::Data => schemas.data_source_types(),
        };
        let kind = if resource.addr.mode == strata_addrs::ResourceMode::Managed { "resource" } else { "data source" };
        diags.push(
            Diagnostic::error(
                if kind == "resource" { "Invalid resource type" } else { "Invalid data source" },
                format!("No provider offers a {kind} type named \"{type_name}\"."),
            )
            .with_subject(resource.type_span)
            .with_optional_hint(did_you_mean(type_name, known)),
        );
    }
    schema
}

fn check_depends_on(resource: &Resource, diags: &mut Diagnostics) {
    for expr in &resource.depends_on {
        let references = expr.references();
        let valid =
            matches!(&expr.expr, hcl::edit::expr::Expression::Traversal(_) | hcl::edit::expr::Expression::Variable(_))
                && references.len() == 1
                && match references[0].root.as_str() {
                    "module" => references[0].steps.len() == 1,
                    "data" => references[0].steps.len() == 2,
                    "var" | "local" | "count" | "each" | "path" | "self" => false,
                    _ => references[0].steps.len() == 1,
                };
        if !valid {
            diags.push(
                Diagnostic::error(
                    "Invalid depends_on reference",
                    "depends_on may only name whole resources or module calls, such as emr_cluster.analytics or module.network; not variables, locals or attributes.",
                )
                .with_subject(expr.span()),
            );
        }
    }
}

fn check_provider(node: &ModuleNode, schemas: &dyn SchemaSource, resource: &Resource, diags: &mut Diagnostics) {
    let addr = resource.provider_addr();
    if schemas.provider(&addr.name).is_none() && resource.provider.is_some() {
        diags.push(
            Diagnostic::error("Unknown provider", format!("There is no provider named \"{}\".", addr.name))
                .with_subject(resource.provider_span)
                .with_optional_hint(did_you_mean(&addr.name, schemas.provider_names())),
        );
        return;
    }
    if addr.alias.is_some() && !node.module.providers.iter().any(|p| p.addr == addr) {
        diags.push(
            Diagnostic::error(
                "Provider configuration not present",
                format!(
                    "The resource uses {addr}, but this module has no provider \"{}\" block with alias = \"{}\".",
                    addr.name,
                    addr.alias.clone().unwrap_or_default()
                ),
            )
            .with_subject(resource.provider_span),
        );
    }
}

fn check_lifecycle(resource: &Resource, schema: &ResourceSchema, scope: &ModuleScope, diags: &mut Diagnostics) {
    let lifecycle = &resource.lifecycle;
    for (name, span) in &lifecycle.ignore_changes {
        let argument = schema.block.attributes.get(name).is_some_and(|a| a.is_argument())
            || schema.block.blocks.contains_key(name);
        if !argument {
            let names = schema.block.argument_names().chain(schema.block.blocks.keys().map(String::as_str));
            diags.push(
                Diagnostic::error(
                    "Invalid ignore_changes attribute",
                    format!(
                        "{} has no argument named \"{name}\", so there is nothing to ignore.",
                        resource.addr.type_name
                    ),
                )
                .with_subject(*span)
                .with_optional_hint(did_you_mean(name, names)),
            );
        }
    }
    for expr in lifecycle.create_before_destroy.iter().chain(&lifecycle.prevent_destroy).chain(&lifecycle.transient) {
        match scope.context(expr.file).eval(&expr.expr) {
            Ok(v) if v.is_known() && strata_value::convert(&v, &Type::Bool).is_err() => diags.push(
                Diagnostic::error("Incorrect attribute value type", "This lifecycle setting takes a bool.")
                    .with_subject(expr.span()),
            ),
            Ok(_) => {}
            Err(d) => diags.push(d),
        }
    }
    for expr in &lifecycle.replace_triggered_by {
        let references = expr.references();
        let ok = references.first().is_some_and(|r| {
            !matches!(r.root.as_str(), "var" | "local" | "module" | "data" | "count" | "each" | "path" | "self")
                && r.steps.first().is_some_and(ReferenceStep::is_attribute)
        });
        if !ok {
            diags.push(
                Diagnostic::error(
                    "Invalid replace_triggered_by expression",
                    "replace_triggered_by takes references to managed resources or their attributes, such as emr_cluster.a or emr_cluster.a.release.",
                )
                .with_subject(expr.span()),
            );
        }
    }
}
