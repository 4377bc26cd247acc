//! `provider` blocks.

use hcl::edit::structure::Body;
use strata_addrs::ProviderConfigAddr;
use strata_diagnostics::{FileId, Span};

#[derive(Clone, Debug)]
pub struct ProviderConfig {
    pub addr: ProviderConfigAddr,
    pub file: FileId,
    /// The block body without `alias`.
    pub body: Body,
    pub decl_span: Option<Span>,
}
