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

pub use body_walk::body_expressions;
pub(crate) use body_walk::walk_body;

/// Checks the whole configuration. `root_values` are the root module's variable values
/// (`None`: no value given, treated as unknown as `terraform validate` does).
pub fn validate(
    config: &Config,
    schemas: &dyn SchemaSource,
    root_values: &BTreeMap<String, Option<Value>>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    // The dependency graph (cycles here, the walk order in plan and apply; built once per
    // configuration) is built on a second thread while the modules are checked: the two are
    // independent and of similar cost for large configurations.
    let graph = std::thread::scope(|scope| {
        let graph = scope.spawn(|| crate::dependency_graph(config));
        validate_module(&config.root, schemas, root_values.clone(), &mut diags);
        graph.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    for cycle in graph.cycles() {
        let path: Vec<String> = cycle.iter().chain(cycle.first()).map(ToString::to_string).collect();
        diags.push(
            Diagnostic::error(
                "Cycle in references",
                format!("These declarations refer to each other in a circle: {}.", path.join(" → ")),
            )
            .with_subject(cycle.first().and_then(|n| graph.span(n)))
            .with_hint("break the cycle by removing one of the references"),
        );
    }
    diags.sort_and_dedup();
    diags
}

fn validate_module(
    node: &ModuleNode,
    schemas: &dyn SchemaSource,
    values: BTreeMap<String, Option<Value>>,
    diags: &mut Diagnostics,
) {
    let mut reference_diags = Diagnostics::new();
    references::check_module(node, schemas, &mut reference_diags);

    let mut evaluation_diags = Diagnostics::new();
    let scope: ModuleScope = build_scope(node, &values, schemas, &mut evaluation_diags);
    variables::check(node, &scope, &values, &mut evaluation_diags);
    resources::check(node, schemas, &scope, &mut evaluation_diags);
    outputs::check(node, &scope, &mut evaluation_diags);
    let mut child_values = BTreeMap::new();
    for (name, child) in &node.children {
        if let Some(call) = node.module.module_calls.get(name) {
            child_values.insert(name, module_calls::check(node, call, child, &scope, &mut evaluation_diags));
        }
    }

    // A bad reference also fails when evaluated; the reference check said it better, so
    // evaluation errors inside a reported reference are dropped.
    let reported: Vec<_> = reference_diags.iter().filter_map(|d| d.subject).collect();
    diags.extend(reference_diags.clone());
    diags.extend(evaluation_diags.into_iter().filter(|d| {
        !d.subject.is_some_and(|s| reported.iter().any(|r| r.file == s.file && r.start <= s.start && s.end <= r.end))
    }));

    for (name, child) in &node.children {
        if let Some(values) = child_values.remove(name) {
            validate_module(child, schemas, values, diags);
        }
    }
}
