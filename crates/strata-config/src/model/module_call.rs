//! `module` blocks.

use std::collections::BTreeMap;

use strata_diagnostics::Span;

use crate::Expr;

#[derive(Clone, Debug)]
pub struct ModuleCall {
    pub name: String,
    pub source: String,
    pub source_span: Option<Span>,
    /// Input variable values by name.
    pub inputs: BTreeMap<String, (Expr, Option<Span>)>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    pub depends_on: Vec<Expr>,
    pub decl_span: Option<Span>,
}
