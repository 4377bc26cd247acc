//! The expression evaluator.
//!
//! Entry point: [`EvalContext::eval`], which evaluates one `hcl::edit` expression to a
//! [`strata_value::Value`] or returns a [`Diagnostic`] pointing at the offending sub-expression.
//! hcl-rs's own evaluator knows neither unknown values nor sensitive marks; planning depends on
//! both, so every operator, traversal, template and function call here carries them:
//! an unknown operand makes an unknown result of the right type, a sensitive operand makes a
//! sensitive result.
//!
//! Also here, because they read the same expression tree: [`references`] (what an expression
//! refers to, for validation and the dependency graph) and [`parse_type_constraint`] (the
//! `type = list(string)` syntax of variables).

mod calls;
mod context;
mod errors;
mod expression;
mod for_expr;
mod operators;
mod references;
mod template;
mod traversal;
mod type_constraint;

pub use context::EvalContext;
pub use references::{RawReference, ReferenceStep, references};
pub use type_constraint::parse_type_constraint;

pub use strata_diagnostics::Diagnostic;
