//! The `lifecycle` block of a resource.

use strata_diagnostics::Span;

use crate::Expr;

#[derive(Clone, Debug, Default)]
pub struct Lifecycle {
    pub create_before_destroy: Option<Expr>,
    /// May reference variables (Terraform cannot).
    pub prevent_destroy: Option<Expr>,
    /// Released (destroyed) at the end of every apply, whether it succeeded or not; what
    /// depends on it stays in state as the record of the run. May reference variables.
    pub transient: Option<Expr>,
    /// Attribute names, with their spans; `all` is `ignore_all`.
    pub ignore_changes: Vec<(String, Option<Span>)>,
    pub ignore_all: bool,
    pub replace_triggered_by: Vec<Expr>,
    pub preconditions: Vec<(Expr, Expr)>,
    pub postconditions: Vec<(Expr, Expr)>,
}
