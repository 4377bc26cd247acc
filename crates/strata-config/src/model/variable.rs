//! `variable` blocks.

use strata_diagnostics::Span;
use strata_value::{Type, Value};

use crate::Expr;

#[derive(Clone, Debug)]
pub struct Validation {
    pub condition: Expr,
    pub error_message: Expr,
}

#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    pub ty: Type,
    pub default: Option<Value>,
    pub default_span: Option<Span>,
    pub description: Option<String>,
    pub sensitive: bool,
    /// May be set to null (Terraform's default: true).
    pub nullable: bool,
    pub validations: Vec<Validation>,
    /// The `variable "name"` header.
    pub decl_span: Option<Span>,
}

impl Variable {
    /// Required when there is no default.
    pub fn is_required(&self) -> bool {
        self.default.is_none()
    }
}
