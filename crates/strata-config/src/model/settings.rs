//! The `strata { }` settings block.

use std::collections::BTreeMap;

use strata_diagnostics::Span;
use strata_value::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct BackendConfig {
    /// `local` or `pg`.
    pub kind: String,
    pub settings: BTreeMap<String, Value>,
    pub span: Option<Span>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub required_version: Option<String>,
    pub required_version_span: Option<Span>,
    pub backend: Option<BackendConfig>,
}
