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

    /// The same expression, borrowed.
    pub fn borrowed(&self) -> ExprRef<'_> {
        ExprRef { file: self.file, expr: &self.expr }
    }
}

/// An expression of the configuration, borrowed, with the file it came from: what walks over
/// resource bodies hand out. Finding references in a plan of 5,000 resources used to copy
/// every expression of every body two or three times.
#[derive(Clone, Copy, Debug)]
pub struct ExprRef<'a> {
    pub file: FileId,
    pub expr: &'a Expression,
}

impl ExprRef<'_> {
    pub fn span(&self) -> Option<Span> {
        self.expr.span().map(|r| Span::new(self.file, r))
    }

    /// The references in the expression.
    pub fn references(&self) -> Vec<strata_eval::RawReference> {
        strata_eval::references(self.expr, self.file)
    }
}

impl<'a> From<&'a Expr> for ExprRef<'a> {
    fn from(expr: &'a Expr) -> ExprRef<'a> {
        expr.borrowed()
    }
}
