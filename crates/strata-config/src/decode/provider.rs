//! `provider "name" { alias = "..." ... }`.

use hcl::edit::structure::{Block, Structure};
use strata_addrs::ProviderConfigAddr;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId};

use super::{labels, span_of};
use crate::{Module, ProviderConfig};

pub(super) fn decode(module: &mut Module, file: FileId, block: &Block, diags: &mut Diagnostics) {
    let Some(names) = labels(file, block, "provider", &["name"], diags) else { return };
    let name = names[0].to_owned();
    let decl_span =
        span_of(file, &block.ident).zip(block.labels.first().and_then(|l| span_of(file, l))).map(|(a, b)| a.to(b));
    let alias = block
        .body
        .get_attribute("alias")
        .and_then(|a| super::fields::constant_value(file, &a.value, &strata_value::Type::String, diags))
        .and_then(|v| v.as_str().map(str::to_owned));
    let body = block
        .body
        .iter()
        .filter(|s| !matches!(s, Structure::Attribute(a) if a.key.value().as_str() == "alias"))
        .cloned()
        .collect();
    let addr = ProviderConfigAddr { name, alias };
    if let Some(previous) = module.providers.iter().find(|p| p.addr == addr) {
        diags.push(
            Diagnostic::error(
                "Duplicate provider configuration",
                format!(
                    "A configuration for {addr} was already given. Use `alias` to configure the same provider twice."
                ),
            )
            .with_subject(decl_span)
            .with_context(previous.decl_span),
        );
        return;
    }
    module.providers.push(ProviderConfig { addr, file, body, decl_span });
}
