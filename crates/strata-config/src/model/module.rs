//! One module: the declarations of one directory.

use std::collections::BTreeMap;
use std::path::PathBuf;

use strata_diagnostics::Span;

use crate::{Expr, ModuleCall, Output, ProviderConfig, Resources, Settings, Variable};

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
    pub resources: Resources,
    pub module_calls: BTreeMap<String, ModuleCall>,
    /// `moved { from = ..., to = ... }`: renames recorded in configuration.
    pub moved: Vec<Moved>,
    /// `moved { from = module.a, to = module.a[0] }`: a module call (instance) renamed; every
    /// object below it moves.
    pub moved_modules: Vec<ModuleMoved>,
    /// `import { to = ..., id = ... }`: existing objects to bring under management.
    pub imports: Vec<Import>,
    /// `check "name" { assert { ... } }`: conditions reported as warnings.
    pub checks: Vec<Check>,
}

/// `moved { from = strata_data.old  to = strata_data.new }`
#[derive(Clone, Debug)]
pub struct Moved {
    pub from: strata_addrs::ResourceInstanceAddr,
    pub to: strata_addrs::ResourceInstanceAddr,
    pub span: Option<Span>,
}

/// `moved { from = module.a  to = module.a[0] }`
#[derive(Clone, Debug)]
pub struct ModuleMoved {
    pub from: strata_addrs::ModulePath,
    pub to: strata_addrs::ModulePath,
    pub span: Option<Span>,
}

/// `import { to = strata_file.f  id = "/path" }`
#[derive(Clone, Debug)]
pub struct Import {
    pub to: strata_addrs::ResourceInstanceAddr,
    pub id: Expr,
    pub span: Option<Span>,
}

/// `check "name" { assert { condition = ..., error_message = ... } }`
#[derive(Clone, Debug)]
pub struct Check {
    pub name: String,
    pub asserts: Vec<(Expr, Expr)>,
    pub span: Option<Span>,
}
