//! One module: the declarations of one directory.

use std::collections::BTreeMap;
use std::path::PathBuf;

use strata_addrs::ResourceAddr;
use strata_diagnostics::Span;

use crate::{Expr, ModuleCall, Output, ProviderConfig, Resource, Settings, Variable};

/// A `locals` entry.
#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub expr: Expr,
    pub name_span: Option<Span>,
}

#[derive(Clone, Debug, Default)]
pub struct Module {
    /// The directory the module was loaded from.
    pub dir: PathBuf,
    pub settings: Option<Settings>,
    pub variables: BTreeMap<String, Variable>,
    pub locals: BTreeMap<String, Local>,
    pub outputs: BTreeMap<String, Output>,
    pub providers: Vec<ProviderConfig>,
    pub resources: BTreeMap<ResourceAddr, Resource>,
    pub module_calls: BTreeMap<String, ModuleCall>,
}
