//! What an expression can refer to.

use std::fmt;

use crate::ResourceAddr;

/// The object a reference in an expression names (the traversal after it is not part of it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Referenceable {
    /// `var.NAME`
    InputVariable(String),
    /// `local.NAME`
    Local(String),
    /// `TYPE.NAME` or `data.TYPE.NAME`
    Resource(ResourceAddr),
    /// `module.NAME.OUTPUT`
    ModuleOutput { call: String, output: String },
    /// `module.NAME` as a whole
    ModuleCall(String),
    /// `count.index`
    CountIndex,
    /// `each.key`
    EachKey,
    /// `each.value`
    EachValue,
    /// `path.module`, `path.root`, `path.cwd`
    Path(String),
    /// `self` inside provisioners and conditions
    SelfObject,
}

impl fmt::Display for Referenceable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Referenceable::InputVariable(name) => write!(f, "var.{name}"),
            Referenceable::Local(name) => write!(f, "local.{name}"),
            Referenceable::Resource(addr) => write!(f, "{addr}"),
            Referenceable::ModuleOutput { call, output } => write!(f, "module.{call}.{output}"),
            Referenceable::ModuleCall(call) => write!(f, "module.{call}"),
            Referenceable::CountIndex => f.write_str("count.index"),
            Referenceable::EachKey => f.write_str("each.key"),
            Referenceable::EachValue => f.write_str("each.value"),
            Referenceable::Path(which) => write!(f, "path.{which}"),
            Referenceable::SelfObject => f.write_str("self"),
        }
    }
}
