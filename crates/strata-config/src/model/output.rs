//! `output` blocks.

use strata_diagnostics::Span;

use crate::Expr;

#[derive(Clone, Debug)]
pub struct Output {
    pub name: String,
    pub value: Expr,
    pub description: Option<String>,
    pub sensitive: bool,
    pub depends_on: Vec<Expr>,
    pub decl_span: Option<Span>,
}
