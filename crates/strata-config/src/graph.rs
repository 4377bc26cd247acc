//! The dependency graph of a configuration's declarations, built from references.
//!
//! Nodes are declarations (variables, locals, outputs, resources, module calls) in every
//! module; an edge `a → b` means `a` refers to `b`. Validation reads its cycles; `strata graph`
//! prints it.

use std::collections::BTreeSet;
use std::collections::hash_map::Entry;
use std::fmt;

use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;
use strata_addrs::{AbsResourceAddr, ModulePath, ResourceAddr, ResourceMode};
use strata_diagnostics::Span;
use strata_eval::RawReference;

use crate::{Config, ExprRef, ModuleNode};

/// A declaration in some module.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GraphNode {
    Variable(ModulePath, String),
    Local(ModulePath, String),
    Output(ModulePath, String),
    Resource(AbsResourceAddr),
    ModuleCall(ModulePath, String),
}

impl GraphNode {
    pub fn is_resource(&self) -> bool {
        matches!(self, GraphNode::Resource(_))
    }
}

impl fmt::Display for GraphNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix =
            |f: &mut fmt::Formatter<'_>, path: &ModulePath| if path.is_root() { Ok(()) } else { write!(f, "{path}.") };
        match self {
            GraphNode::Variable(path, name) => prefix(f, path).and_then(|_| write!(f, "var.{name}")),
            GraphNode::Local(path, name) => prefix(f, path).and_then(|_| write!(f, "local.{name}")),
            GraphNode::Output(path, name) => prefix(f, path).and_then(|_| write!(f, "output.{name}")),
            GraphNode::Resource(addr) => write!(f, "{addr}"),
            GraphNode::ModuleCall(path, name) => prefix(f, path).and_then(|_| write!(f, "module.{name}")),
        }
    }
}

/// Declarations and who refers to whom.
#[derive(Debug, Default)]
pub struct DependencyGraph {
    pub graph: DiGraph<GraphNode, ()>,
    index: FxHashMap<GraphNode, NodeIndex>,
    /// Where each node is declared, for diagnostics; by node index, so a node is copied
    /// once for the graph and once for the index and not a third time here (the graph is
    /// built while validation runs, and for 5,000 resources often finishes after it).
    spans: Vec<Option<Span>>,
}

impl DependencyGraph {
    /// An empty graph with room for `nodes` nodes.
    fn with_capacity(nodes: usize) -> DependencyGraph {
        DependencyGraph {
            graph: DiGraph::with_capacity(nodes, nodes),
            index: FxHashMap::with_capacity_and_hasher(nodes, Default::default()),
            spans: Vec::with_capacity(nodes),
        }
    }

    fn node(&mut self, node: GraphNode, span: Option<Span>) -> NodeIndex {
        match self.index.entry(node) {
            Entry::Occupied(existing) => *existing.get(),
            Entry::Vacant(vacant) => {
                let i = self.graph.add_node(vacant.key().clone());
                vacant.insert(i);
                self.spans.push(span);
                i
            }
        }
    }

    /// Where a node is declared.
    pub fn span(&self, node: &GraphNode) -> Option<Span> {
        self.get(node).and_then(|i| self.spans.get(i.index()).copied().flatten())
    }

    fn edge(&mut self, from: &GraphNode, to: &GraphNode) {
        if let (Some(&a), Some(&b)) = (self.index.get(from), self.index.get(to)) {
            self.graph.update_edge(a, b, ());
        }
    }

    pub fn get(&self, node: &GraphNode) -> Option<NodeIndex> {
        self.index.get(node).copied()
    }

    /// Groups of declarations that refer to each other in a circle, each in cycle order.
    pub fn cycles(&self) -> Vec<Vec<GraphNode>> {
        let mut out = Vec::new();
        for component in petgraph::algo::tarjan_scc(&self.graph) {
            let self_loop = component.len() == 1 && self.graph.contains_edge(component[0], component[0]);
            if component.len() > 1 || self_loop {
                out.push(self.cycle_path(&component));
            }
        }
        out.sort();
        out
    }

    /// A path through one strongly connected component, starting at its smallest node.
    fn cycle_path(&self, component: &[NodeIndex]) -> Vec<GraphNode> {
        let members: BTreeSet<NodeIndex> = component.iter().copied().collect();
        let start = *component.iter().min_by_key(|i| self.graph[**i].clone()).unwrap_or(&component[0]);
        let mut path = vec![start];
        let mut current = start;
        // Follow edges inside the component until we return to the start (bounded by its size).
        for _ in 0..component.len() {
            let mut next: Vec<NodeIndex> = self.graph.neighbors(current).filter(|n| members.contains(n)).collect();
            next.sort_by_key(|n| (*n != start, !path.contains(n), self.graph[*n].clone()));
            let Some(&n) = next.iter().find(|n| **n == start || !path.contains(n)) else { break };
            if n == start {
                break;
            }
            path.push(n);
            current = n;
        }
        path.into_iter().map(|i| self.graph[i].clone()).collect()
    }

    /// DOT text. With `resources_only`, other declarations are collapsed into the edges
    /// between resources (what `terraform graph` shows by default).
    pub fn to_dot(&self, resources_only: bool) -> String {
        let mut nodes: Vec<&GraphNode> =
            self.graph.node_weights().filter(|n| !resources_only || n.is_resource()).collect();
        nodes.sort();
        let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
        for &node in &nodes {
            let Some(start) = self.get(node) else { continue };
            for target in self.targets(start, resources_only) {
                edges.insert((node.to_string(), self.graph[target].to_string()));
            }
        }
        let mut out = String::from("digraph {\n  compound = \"true\"\n  newrank = \"true\"\n  subgraph \"root\" {\n");
        for node in nodes {
            out.push_str(&format!("    \"{node}\" [label=\"{node}\"]\n"));
        }
        for (from, to) in edges {
            out.push_str(&format!("    \"{from}\" -> \"{to}\"\n"));
        }
        out.push_str("  }\n}\n");
        out
    }

    /// Direct targets, or with `resources_only` the nearest resources reachable through
    /// non-resource nodes.
    fn targets(&self, start: NodeIndex, resources_only: bool) -> BTreeSet<NodeIndex> {
        let mut found = BTreeSet::new();
        let mut stack: Vec<NodeIndex> = self.graph.neighbors(start).collect();
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            if !resources_only || self.graph[n].is_resource() {
                found.insert(n);
            } else {
                stack.extend(self.graph.neighbors(n));
            }
        }
        found
    }
}

/// The graph of the whole configuration, built on first use and shared afterwards.
pub fn dependency_graph(config: &Config) -> std::sync::Arc<DependencyGraph> {
    config.graph.get_or_init(|| std::sync::Arc::new(build(config))).clone()
}

/// Managed resources' nodes by module, type and name, borrowed from the configuration while
/// the graph is built: a reference such as `strata_data.root.id` is looked up without copying
/// its names into a node to hash (once per reference: 5,000 for a fan-out of 5,000).
type ManagedIndex<'c> = FxHashMap<(&'c ModulePath, &'c str, &'c str), NodeIndex>;

fn build(config: &Config) -> DependencyGraph {
    let modules = config.root.walk();
    // Sized up front: growing the graph and its index rehashed every node several times.
    let nodes = modules
        .iter()
        .map(|m| {
            let m = &m.module;
            m.variables.len() + m.locals.len() + m.outputs.len() + m.resources.len() + m.module_calls.len()
        })
        .sum();
    let mut graph = DependencyGraph::with_capacity(nodes);
    let mut managed = ManagedIndex::with_capacity_and_hasher(nodes, Default::default());
    for node in &modules {
        add_nodes(&mut graph, &mut managed, node);
    }
    for node in &modules {
        add_edges(&mut graph, &managed, node);
    }
    graph
}

fn add_nodes<'c>(graph: &mut DependencyGraph, managed: &mut ManagedIndex<'c>, node: &'c ModuleNode) {
    let path = &node.path;
    let module = &node.module;
    for (name, v) in &module.variables {
        graph.node(GraphNode::Variable(path.clone(), name.clone()), v.decl_span);
    }
    for (name, l) in &module.locals {
        graph.node(GraphNode::Local(path.clone(), name.clone()), l.name_span);
    }
    for (name, o) in &module.outputs {
        graph.node(GraphNode::Output(path.clone(), name.clone()), o.decl_span);
    }
    for (addr, r) in &module.resources {
        let index = graph
            .node(GraphNode::Resource(AbsResourceAddr { module: path.clone(), resource: addr.clone() }), r.decl_span);
        if addr.mode == ResourceMode::Managed {
            managed.insert((path, addr.type_name.as_str(), addr.name.as_str()), index);
        }
    }
    for (name, c) in &module.module_calls {
        graph.node(GraphNode::ModuleCall(path.clone(), name.clone()), c.decl_span);
    }
}

/// Edges from `from` to every declaration the expressions (in `node`) refer to.
fn add_references(
    graph: &mut DependencyGraph,
    managed: &ManagedIndex<'_>,
    node: &ModuleNode,
    from: NodeIndex,
    exprs: &[ExprRef<'_>],
) {
    for reference in exprs.iter().flat_map(ExprRef::references) {
        if let Some(&to) = managed_target(&node.path, &reference).and_then(|key| managed.get(&key)) {
            graph.graph.update_edge(from, to, ());
            continue;
        }
        let Some(to) = target(&node.path, &reference) else { continue };
        // A module as a whole (`module.web`, `module.web[*].name`, a `for` over it):
        // every output of it, since its value is made of them.
        if let GraphNode::ModuleCall(_, name) = &to
            && let Some(child) = node.children.get(name)
        {
            for output in child.module.outputs.keys() {
                if let Some(output) = graph.get(&GraphNode::Output(child.path.clone(), output.clone())) {
                    graph.graph.update_edge(from, output, ());
                }
            }
        }
        if let Some(to) = graph.get(&to) {
            graph.graph.update_edge(from, to, ());
        }
    }
}

/// The key of the managed resource a reference names, when it names one (`TYPE.NAME...`).
fn managed_target<'r, 'p>(
    path: &'p ModulePath,
    reference: &'r RawReference,
) -> Option<(&'p ModulePath, &'r str, &'r str)> {
    match reference.root.as_str() {
        "var" | "local" | "module" | "data" | "count" | "each" | "path" | "self" => None,
        type_name => Some((path, type_name, reference.step(0)?)),
    }
}

fn add_edges(graph: &mut DependencyGraph, managed: &ManagedIndex<'_>, node: &ModuleNode) {
    let path = &node.path;
    let module = &node.module;
    let add = |graph: &mut DependencyGraph, from: &GraphNode, exprs: &[ExprRef<'_>]| {
        if let Some(from) = graph.get(from) {
            add_references(graph, managed, node, from, exprs);
        }
    };
    for (name, local) in &module.locals {
        add(graph, &GraphNode::Local(path.clone(), name.clone()), &[local.expr.borrowed()]);
    }
    for (name, output) in &module.outputs {
        let mut exprs = vec![output.value.borrowed()];
        exprs.extend(output.depends_on.iter().map(ExprRef::from));
        add(graph, &GraphNode::Output(path.clone(), name.clone()), &exprs);
    }
    for (addr, resource) in &module.resources {
        let from = match addr.mode {
            ResourceMode::Managed => managed.get(&(path, addr.type_name.as_str(), addr.name.as_str())).copied(),
            ResourceMode::Data => {
                graph.get(&GraphNode::Resource(AbsResourceAddr { module: path.clone(), resource: addr.clone() }))
            }
        };
        let Some(from) = from else { continue };
        // replace_triggered_by orders too: the trigger's change must be known first.
        let mut exprs: Vec<ExprRef<'_>> = resource
            .count
            .iter()
            .chain(&resource.for_each)
            .chain(&resource.depends_on)
            .chain(&resource.lifecycle.replace_triggered_by)
            .map(ExprRef::from)
            .collect();
        exprs.extend(crate::validate::body_expressions(resource));
        add_references(graph, managed, node, from, &exprs);
    }
    for (name, call) in &module.module_calls {
        let from = GraphNode::ModuleCall(path.clone(), name.clone());
        let exprs: Vec<ExprRef<'_>> = call
            .inputs
            .values()
            .map(|(e, _)| e)
            .chain(&call.count)
            .chain(&call.for_each)
            .chain(&call.depends_on)
            .map(ExprRef::from)
            .collect();
        add(graph, &from, &exprs);
        // The child's variables take the call's inputs. References to the child's outputs
        // point at the outputs themselves (see `target`), so a child output that depends on a
        // child input is not mistaken for a cycle through the call.
        let child = path.child(name);
        for input in call.inputs.keys() {
            graph.edge(&GraphNode::Variable(child.clone(), input.clone()), &from);
        }
        // Every resource below the call waits for what its count, for_each and depends_on
        // name: the instances of the module are known only then, and depends_on orders them.
        let repetition: Vec<ExprRef<'_>> =
            call.count.iter().chain(&call.for_each).chain(&call.depends_on).map(ExprRef::from).collect();
        if let Some(child_node) = node.children.get(name).filter(|_| !repetition.is_empty()) {
            for descendant in child_node.walk() {
                for addr in descendant.module.resources.keys() {
                    let resource = GraphNode::Resource(AbsResourceAddr {
                        module: descendant.path.clone(),
                        resource: addr.clone(),
                    });
                    add(graph, &resource, &repetition);
                }
            }
        }
    }
}

/// The declaration a reference names, if it names one.
fn target(path: &ModulePath, reference: &RawReference) -> Option<GraphNode> {
    let first = reference.step(0)?.to_owned();
    Some(match reference.root.as_str() {
        "var" => GraphNode::Variable(path.clone(), first),
        "local" => GraphNode::Local(path.clone(), first),
        "module" => {
            // module.NAME.OUTPUT, or module.NAME[KEY].OUTPUT with count/for_each.
            let output = reference.steps[1..].iter().take(2).find(|s| s.is_attribute());
            match output {
                Some(output) => GraphNode::Output(path.child(&first), output.name().to_owned()),
                None => GraphNode::ModuleCall(path.clone(), first),
            }
        }
        "data" => GraphNode::Resource(AbsResourceAddr {
            module: path.clone(),
            resource: ResourceAddr { mode: ResourceMode::Data, type_name: first, name: reference.step(1)?.to_owned() },
        }),
        "count" | "each" | "path" | "self" => return None,
        type_name => GraphNode::Resource(AbsResourceAddr {
            module: path.clone(),
            resource: ResourceAddr::managed(type_name, first),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `module.web[*].name` (a module as a whole) depends on the module's outputs, so a
    /// resource reading it comes after the resources behind them.
    #[test]
    fn a_whole_module_reference_depends_on_its_outputs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/exclude");
        let mut files = strata_diagnostics::SourceFiles::new();
        let (config, diags) = crate::load(&dir, &mut files);
        assert!(!diags.has_errors(), "{diags:?}");
        let dot = dependency_graph(&config.unwrap()).to_dot(true);
        assert!(dot.contains("\"strata_data.names\" -> \"module.web.strata_data.y\""), "{dot}");
    }
}
