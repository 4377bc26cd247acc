//! An expression with the file it came from.

use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use strata_diagnostics::{FileId, Span};

/// An expression as written, kept for evaluation at validate, plan and apply time.
#[derive(Clone, Debug)]
pub struct Expr {
    pub file: FileId,
    pub expr: Expression,
}

impl Expr {
    pub fn new(file: FileId, expr: Expression) -> Expr {
        Expr { file, expr }
    }

    pub fn span(&self) -> Option<Span> {
        self.expr.span().map(|r| Span::new(self.file, r))
    }

    /// The references in the expression.
    pub fn references(&self) -> Vec<strata_eval::RawReference> {
        strata_eval::references(&self.expr, self.file)
    }
}
