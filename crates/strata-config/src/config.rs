//! The module tree.

use std::collections::BTreeMap;

use strata_addrs::{ModulePath, ProviderConfigAddr};

use crate::{Module, Resource};

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
    /// The module a path names. Instance keys are ignored: every instance of a repeated call
    /// has the same configuration.
    pub fn module(&self, path: &ModulePath) -> Option<&ModuleNode> {
        let mut node = &self.root;
        for call in path.calls() {
            node = node.children.get(call)?;
        }
        Some(node)
    }

    /// The provider configuration (of the root module) a resource of the module at `path`
    /// uses: its own `provider` argument or the one its type implies, passed down through the
    /// calls' `providers = { ... }` maps (a default configuration not in a map is the caller's
    /// default configuration of that provider, as in Terraform).
    pub fn resource_provider(&self, path: &ModulePath, resource: &Resource) -> ProviderConfigAddr {
        let mut addr = resource.provider_addr();
        let mut inner = path.to_static();
        while let Some((parent, step)) = inner.parent() {
            let call = self.module(&parent).and_then(|node| node.module.module_calls.get(&step.name));
            if let Some(pass) = call.and_then(|call| call.providers.iter().find(|pass| pass.child == addr)) {
                addr = pass.parent.clone();
            }
            inner = parent;
        }
        addr
    }
}
