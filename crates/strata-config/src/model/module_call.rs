//! `module` blocks.

use std::collections::BTreeMap;

use strata_addrs::ProviderConfigAddr;
use strata_diagnostics::Span;

use crate::Expr;

/// One entry of a module call's `providers` map.
#[derive(Clone, Debug)]
pub struct ProviderPass {
    /// The provider as the child module knows it (its default configuration).
    pub child: ProviderConfigAddr,
    /// The configuration in the calling module it stands for.
    pub parent: ProviderConfigAddr,
    pub span: Option<Span>,
}

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
    /// `providers = { strata = strata.other }`: the child's default configuration of a
    /// provider (by name) is the calling module's configuration named on the right.
    pub providers: Vec<ProviderPass>,
    pub decl_span: Option<Span>,
}
