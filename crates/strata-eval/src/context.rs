//! What an expression is evaluated against.

use std::collections::BTreeMap;
use std::sync::Arc;

use hcl::edit::expr::Expression;
use strata_diagnostics::{Diagnostic, FileId};
use strata_functions::FunctionContext;
use strata_value::Value;

use crate::expression::Evaluator;

/// The names visible to an expression and where it comes from.
///
/// `scope` maps root names (`var`, `local`, `module`, `path`, `data`, and one entry per
/// resource type) to objects; traversals then read into them. Resources not yet created are
/// objects of unknown attributes, which is how "known after apply" enters. The scope is shared
/// (`Arc`) because a module's scope is large and every expression in it reads the same one;
/// `extra` holds the few names that differ per block (`count`, `each`, dynamic iterators) and
/// wins over `scope`. Cloning a context is cheap.
#[derive(Clone, Debug)]
pub struct EvalContext {
    pub file: FileId,
    pub scope: Arc<BTreeMap<String, Value>>,
    pub extra: BTreeMap<String, Value>,
    pub functions: FunctionContext,
}

impl EvalContext {
    pub fn new(file: FileId, functions: FunctionContext) -> EvalContext {
        EvalContext { file, scope: Arc::default(), extra: BTreeMap::new(), functions }
    }

    /// The value of a root name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.extra.get(name).or_else(|| self.scope.get(name))
    }

    /// A copy with one more name in `extra`.
    pub fn with(&self, name: &str, value: Value) -> EvalContext {
        let mut context = self.clone();
        context.extra.insert(name.to_owned(), value);
        context
    }

    /// Evaluates one expression. The error names the sub-expression at fault.
    pub fn eval(&self, expr: &Expression) -> Result<Value, Diagnostic> {
        Evaluator::new(self).eval(expr)
    }
}
