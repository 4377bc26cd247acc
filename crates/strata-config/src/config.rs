//! The module tree.

use std::collections::BTreeMap;

use strata_addrs::ModulePath;

use crate::Module;

/// A module and the modules it calls.
#[derive(Clone, Debug)]
pub struct ModuleNode {
    pub path: ModulePath,
    pub module: Module,
    pub children: BTreeMap<String, ModuleNode>,
}

impl ModuleNode {
    /// This module and all below it, parents first.
    pub fn walk(&self) -> Vec<&ModuleNode> {
        let mut out = vec![self];
        for child in self.children.values() {
            out.extend(child.walk());
        }
        out
    }
}

/// A whole configuration: the root module and everything it calls.
#[derive(Clone, Debug)]
pub struct Config {
    pub root: ModuleNode,
    /// The dependency graph, built once on first use (validation and planning both need it).
    pub(crate) graph: std::sync::OnceLock<std::sync::Arc<crate::DependencyGraph>>,
}

impl Config {
    pub fn module(&self, path: &ModulePath) -> Option<&ModuleNode> {
        let mut node = &self.root;
        for call in path.calls() {
            node = node.children.get(call)?;
        }
        Some(node)
    }
}
