//! Validation of a loaded configuration against schemas and the rules of the language.

mod body_walk;
mod count;
mod module_calls;
mod outputs;
mod references;
mod resources;
mod variables;

use std::collections::BTreeMap;

use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_schema::SchemaSource;
use strata_value::Value;

use crate::scope::{ModuleScope, build_scope};
use crate::{Config, ModuleNode};

pub(crate) use body_walk::{body_expressions, walk_body};

/// Checks the whole configuration. `root_values` are the root module's variable values
/// (`None`: no value given, treated as unknown as `terraform validate` does).
pub fn validate(
    config: &Config,
    schemas: &dyn SchemaSource,
    root_values: &BTreeMap<String, Option<Value>>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let graph = crate::dependency_graph(config);
    for cycle in graph.cycles() {
        let path: Vec<String> = cycle.iter().chain(cycle.first()).map(ToString::to_string).collect();
        diags.push(
            Diagnostic::error(
                "Cycle in references",
                format!("These declarations refer to each other in a circle: {}.", path.join(" → ")),
            )
            .with_subject(cycle.first().and_then(|n| graph.spans.get(n).copied().flatten()))
            .with_hint("break the cycle by removing one of the references"),
        );
    }
    validate_module(&config.root, schemas, root_values.clone(), &mut diags);
    diags.sort_and_dedup();
    diags
}

fn validate_module(
    node: &ModuleNode,
    schemas: &dyn SchemaSource,
    values: BTreeMap<String, Option<Value>>,
    diags: &mut Diagnostics,
) {
    references::check_module(node, schemas, diags);
    let scope: ModuleScope = build_scope(node, &values, schemas, diags);
    variables::check(node, &scope, &values, diags);
    resources::check(node, schemas, &scope, diags);
    outputs::check(node, &scope, diags);
    for (name, child) in &node.children {
        let Some(call) = node.module.module_calls.get(name) else { continue };
        let child_values = module_calls::check(node, call, child, &scope, diags);
        validate_module(child, schemas, child_values, diags);
    }
}
