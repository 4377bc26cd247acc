//! Output values must evaluate, and must not leak sensitive values unmarked.

use strata_diagnostics::{Diagnostic, Diagnostics};

use crate::ModuleNode;
use crate::scope::ModuleScope;

pub(crate) fn check(node: &ModuleNode, scope: &ModuleScope, diags: &mut Diagnostics) {
    for output in node.module.outputs.values() {
        match scope.context(output.value.file).eval(&output.value.expr) {
            Ok(value) => {
                if node.path.is_root() && value.contains_sensitive() && !output.sensitive {
                    diags.push(
                        Diagnostic::error(
                            "Output refers to sensitive values",
                            "This output's value contains sensitive values, so it must be marked sensitive to be shown as (sensitive value).",
                        )
                        .with_subject(output.value.span())
                        .with_context(output.decl_span)
                        .with_hint("add sensitive = true to the output block"),
                    );
                }
            }
            Err(d) => diags.push(d),
        }
    }
}
