//! `resource` and `data` blocks.

use hcl::edit::structure::Body;
use strata_addrs::{ProviderConfigAddr, ResourceAddr};
use strata_diagnostics::{FileId, Span};

use crate::{Expr, Lifecycle, Timeouts};

/// The type-specific part of a resource block: everything but meta-arguments, `lifecycle` and
/// `timeouts`.
#[derive(Clone, Debug)]
pub struct ResourceBody {
    pub file: FileId,
    pub body: Body,
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub addr: ResourceAddr,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    pub depends_on: Vec<Expr>,
    /// `provider = local.b`; `None` means the default configuration of the implied provider.
    pub provider: Option<ProviderConfigAddr>,
    pub provider_span: Option<Span>,
    pub lifecycle: Lifecycle,
    /// `timeouts { }`: limits the engine puts on provider calls; not part of `body`.
    pub timeouts: Timeouts,
    pub body: ResourceBody,
    /// The block header (`resource "t" "n"`).
    pub decl_span: Option<Span>,
    pub type_span: Option<Span>,
}

impl Resource {
    /// The provider configuration this resource uses.
    pub fn provider_addr(&self) -> ProviderConfigAddr {
        self.provider.clone().unwrap_or_else(|| ProviderConfigAddr::implied_by_type(&self.addr.type_name))
    }
}
