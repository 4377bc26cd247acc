//! The values expressions see while planning and applying, and the scope built for one
//! expression from what it refers to.
//!
//! Resource values are planned objects (with unknowns) during plan and applied objects during
//! apply. Locals, module inputs and outputs are computed on demand from them, so an expression
//! evaluated at apply time sees what apply has made so far. Scopes hold only the names an
//! expression refers to: a module with 10,000 resources does not copy them all for each one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use strata_addrs::{InstanceKey, ModulePath, ResourceAddr, ResourceMode};
use strata_config::{Config, Expr, ExprRef, ModuleNode};
use strata_diagnostics::Diagnostic;
use strata_eval::{EvalContext, RawReference};
use strata_functions::FunctionContext;
use strata_value::Value;

/// What is known about every module's declarations.
pub(crate) struct Values<'c> {
    pub config: &'c Config,
    /// Root variable values, already converted and marked.
    pub root_variables: BTreeMap<String, Value>,
    /// Per module, per resource: an object (no count/for_each), a list (count) or a map (for_each).
    /// Hashed, never walked in order: set twice and read at least once per resource, a
    /// B-tree's string comparisons were 6 % of the instructions of a no-op plan of 5,000.
    resources: FxHashMap<ModulePath, FxHashMap<ResourceAddr, Value>>,
    /// Wholly known locals, outputs and module variables, computed once.
    memo: BTreeMap<(ModulePath, Kind, String), Value>,
    /// The instances of each module call (keyed by the call's path in its calling module
    /// instance, without a key of its own), computed once.
    calls: BTreeMap<ModulePath, Instances>,
    /// The last scope made only of resources' values, reused while none of them changes.
    last_scope: Option<ResourceScope>,
}

/// A scope holding only managed resources' values. The resources of a fan-out all refer to
/// the same root: copying its value into a new scope for each of them was a tenth of their
/// plan. Setting any of its resources drops it.
struct ResourceScope {
    module: ModulePath,
    /// The resources the references named, in their order (also those without a value yet).
    resources: Vec<ResourceAddr>,
    scope: Arc<BTreeMap<String, Value>>,
}

/// Instance keys, each with the names (`count`, `each`) its expressions see.
pub(crate) type Instances = Vec<(InstanceKey, crate::expand::Repeat)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Variable,
    Local,
    Output,
}

/// Bounds recursion through locals/outputs (cycles are rejected by validation already).
const MAX_DEPTH: usize = 64;

impl<'c> Values<'c> {
    pub fn new(config: &'c Config, root_variables: BTreeMap<String, Value>) -> Values<'c> {
        Values {
            config,
            root_variables,
            resources: FxHashMap::default(),
            memo: BTreeMap::new(),
            calls: BTreeMap::new(),
            last_scope: None,
        }
    }

    pub fn set_resource(&mut self, module: &ModulePath, addr: &ResourceAddr, value: Value) {
        self.forget_scope_of(module, addr);
        // Set twice per resource (unknown while it is planned, then its value): the keys are
        // copied only the first time.
        match self.resources.get_mut(module).and_then(|resources| resources.get_mut(addr)) {
            Some(slot) => *slot = value,
            None => {
                self.resources.entry(module.clone()).or_default().insert(addr.clone(), value);
            }
        }
        // Memoized values are only wholly known ones, which a resource change cannot alter.
    }

    pub fn take_resource(&mut self, module: &ModulePath, addr: &ResourceAddr) -> Option<Value> {
        self.forget_scope_of(module, addr);
        self.resources.get_mut(module)?.remove(addr)
    }

    pub fn resource(&self, module: &ModulePath, addr: &ResourceAddr) -> Option<&Value> {
        self.resources.get(module)?.get(addr)
    }

    /// A context for `expr` in `module`, holding exactly what it refers to.
    pub fn context(
        &mut self,
        module: &ModulePath,
        expr: &Expr,
        extra: &BTreeMap<String, Value>,
    ) -> Result<EvalContext, Diagnostic> {
        self.context_for(module, expr.file, &expr.references(), extra, 0)
    }

    fn forget_scope_of(&mut self, module: &ModulePath, addr: &ResourceAddr) {
        if self.last_scope.as_ref().is_some_and(|last| last.module == *module && last.resources.contains(addr)) {
            self.last_scope = None;
        }
    }

    /// The last resource-only scope, if `references` (those not in `extra`) name exactly its
    /// resources, in the same order.
    fn reuse_scope(
        &self,
        module: &ModulePath,
        references: &[RawReference],
        extra: &BTreeMap<String, Value>,
    ) -> Option<Arc<BTreeMap<String, Value>>> {
        let last = self.last_scope.as_ref().filter(|last| last.module == *module)?;
        let mut named = last.resources.iter();
        for reference in references.iter().filter(|r| !extra.contains_key(&r.root)) {
            match resource_named(reference) {
                Named::Resource(type_name, name) => {
                    let resource = named.next()?;
                    if resource.type_name != type_name || resource.name != name {
                        return None;
                    }
                }
                Named::Nothing => {}
                Named::Other => return None,
            }
        }
        named.next().is_none().then(|| last.scope.clone())
    }

    /// A context for several expressions at once (a resource body).
    pub fn context_for(
        &mut self,
        module: &ModulePath,
        file: strata_diagnostics::FileId,
        references: &[RawReference],
        extra: &BTreeMap<String, Value>,
        depth: usize,
    ) -> Result<EvalContext, Diagnostic> {
        let scope = match self.reuse_scope(module, references, extra) {
            Some(scope) => scope,
            None => self.build_scope(module, references, extra, depth)?,
        };
        Ok(EvalContext {
            file,
            scope,
            extra: extra.clone(),
            functions: FunctionContext { base_dir: self.node(module).module.dir.clone() },
        })
    }

    /// The scope `references` need, made anew; kept for reuse when it holds only resources.
    fn build_scope(
        &mut self,
        module: &ModulePath,
        references: &[RawReference],
        extra: &BTreeMap<String, Value>,
        depth: usize,
    ) -> Result<Arc<BTreeMap<String, Value>>, Diagnostic> {
        let node = self.node(module);
        let mut scope: BTreeMap<String, Value> = BTreeMap::new();
        // Whether only managed resources are named (then the scope can be reused), and which.
        let mut only_resources = true;
        let mut named_resources = Vec::new();
        for reference in references {
            if extra.contains_key(&reference.root) {
                continue;
            }
            let Some(first) = reference.step(0).map(str::to_owned) else { continue };
            match reference.root.as_str() {
                "var" => {
                    let value = self.variable(module, &first, depth)?;
                    insert(&mut scope, "var", &first, value);
                }
                "local" => {
                    let value = self.local(module, &first, depth)?;
                    insert(&mut scope, "local", &first, value);
                }
                "module" => {
                    let outputs = self.module_outputs(module, &first, depth)?;
                    insert(&mut scope, "module", &first, outputs);
                }
                "path" => {
                    let value = match first.as_str() {
                        "cwd" => std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
                        _ => node.module.dir.display().to_string(),
                    };
                    insert(&mut scope, "path", &first, Value::from(value));
                }
                "count" | "each" | "self" => {}
                "data" => {
                    let Some(name) = reference.step(1) else { continue };
                    let addr =
                        ResourceAddr { mode: ResourceMode::Data, type_name: first.clone(), name: name.to_owned() };
                    let value = self.resource(module, &addr).cloned().unwrap_or_else(Value::unknown);
                    let data = scope.entry("data".into()).or_insert_with(|| Value::Map(BTreeMap::new()));
                    if let Value::Map(types) = data {
                        let table = types.entry(first.clone()).or_insert_with(|| Value::Map(BTreeMap::new()));
                        if let Value::Map(names) = table {
                            names.insert(name.to_owned(), value);
                        }
                    }
                }
                type_name => {
                    let addr = ResourceAddr::managed(type_name, first.clone());
                    if let Some(value) = self.resource(module, &addr).cloned() {
                        insert(&mut scope, type_name, &first, value);
                    }
                    named_resources.push(addr);
                    continue;
                }
            }
            only_resources &= matches!(resource_named(reference), Named::Nothing);
        }
        let scope = Arc::new(scope);
        if only_resources {
            self.last_scope =
                Some(ResourceScope { module: module.clone(), resources: named_resources, scope: scope.clone() });
        }
        Ok(scope)
    }

    fn node(&self, module: &ModulePath) -> &'c ModuleNode {
        self.config.module(module).unwrap_or(&self.config.root)
    }

    /// A variable's value: root values come from inputs; a child's from its call's argument
    /// evaluated in the parent, or the default.
    pub fn variable(&mut self, module: &ModulePath, name: &str, depth: usize) -> Result<Value, Diagnostic> {
        let key = (module.clone(), Kind::Variable, name.to_owned());
        if let Some(v) = self.memo.get(&key) {
            return Ok(v.clone());
        }
        let node = self.node(module);
        let Some(variable) = node.module.variables.get(name) else { return Ok(Value::Null) };
        let value = match module.parent() {
            None => self.root_variables.get(name).cloned().unwrap_or(Value::Null),
            Some((parent_path, step)) => {
                let parent_node = self.node(&parent_path);
                match parent_node.module.module_calls.get(&step.name).and_then(|c| c.inputs.get(name)) {
                    Some((expr, _)) => {
                        // `count.index` / `each.*` of this instance of the call.
                        let extra = self.call_instance_extra(&parent_path, &step.name, &step.key)?;
                        let context = self.context_for(
                            &parent_path,
                            expr.file,
                            &expr.references(),
                            &extra,
                            deeper(depth, expr)?,
                        )?;
                        let value = context.eval(&expr.expr)?;
                        strata_value::convert(&value, &variable.ty).map_err(|e| {
                            Diagnostic::error(
                                "Invalid value for input variable",
                                format!("The value for \"{name}\" does not fit the variable's type: {e}."),
                            )
                            .with_subject(expr.span())
                        })?
                    }
                    None => variable.default.clone().unwrap_or(Value::Null),
                }
            }
        };
        let value = value.with_sensitive(variable.sensitive);
        self.remember(key, &value);
        Ok(value)
    }

    pub fn local(&mut self, module: &ModulePath, name: &str, depth: usize) -> Result<Value, Diagnostic> {
        let key = (module.clone(), Kind::Local, name.to_owned());
        if let Some(v) = self.memo.get(&key) {
            return Ok(v.clone());
        }
        let Some(local) = self.node(module).module.locals.get(name) else { return Ok(Value::unknown()) };
        let context = self.context_for(
            module,
            local.expr.file,
            &local.expr.references(),
            &BTreeMap::new(),
            deeper(depth, &local.expr)?,
        )?;
        let value = context.eval(&local.expr.expr)?;
        self.remember(key, &value);
        Ok(value)
    }

    pub fn output(&mut self, module: &ModulePath, name: &str, depth: usize) -> Result<Value, Diagnostic> {
        let key = (module.clone(), Kind::Output, name.to_owned());
        if let Some(v) = self.memo.get(&key) {
            return Ok(v.clone());
        }
        let Some(output) = self.node(module).module.outputs.get(name) else { return Ok(Value::unknown()) };
        let context = self.context_for(
            module,
            output.value.file,
            &output.value.references(),
            &BTreeMap::new(),
            deeper(depth, &output.value)?,
        )?;
        let value = context.eval(&output.value.expr)?.with_sensitive(output.sensitive);
        self.remember(key, &value);
        Ok(value)
    }

    /// `module.NAME` seen from `module`: the object of the child's outputs, or for a call with
    /// `count` a list and with `for_each` a map of such objects, one per instance.
    fn module_outputs(&mut self, module: &ModulePath, call: &str, depth: usize) -> Result<Value, Diagnostic> {
        let node = self.node(module);
        let Some(call_config) = node.module.module_calls.get(call) else { return Ok(Value::unknown()) };
        let Some(child_node) = self.config.module(&module.child(call)) else { return Ok(Value::unknown()) };
        let names: Vec<String> = child_node.module.outputs.keys().cloned().collect();
        let mut objects = Vec::new();
        for (key, _) in self.call_instances(module, call)? {
            let child = module.child_instance(call, key.clone());
            let mut outputs = BTreeMap::new();
            for name in &names {
                outputs.insert(name.clone(), self.output(&child, name, depth + 1)?);
            }
            objects.push((key, Value::Map(outputs)));
        }
        Ok(if call_config.count.is_some() {
            Value::List(objects.into_iter().map(|(_, v)| v).collect())
        } else if call_config.for_each.is_some() {
            Value::Map(objects.into_iter().map(|(k, v)| (crate::plan::key_string(&k), v)).collect())
        } else {
            objects.into_iter().next().map_or(Value::Null, |(_, v)| v)
        })
    }

    /// The instances of call `call` made from the module instance `module` (one, without a
    /// key, when the call has neither `count` nor `for_each`).
    pub fn call_instances(&mut self, module: &ModulePath, call: &str) -> Result<Instances, Diagnostic> {
        let memo_key = module.child(call);
        if let Some(instances) = self.calls.get(&memo_key) {
            return Ok(instances.clone());
        }
        let Some(call_config) = self.node(module).module.module_calls.get(call) else { return Ok(Vec::new()) };
        let instances =
            crate::expand::repetition(self, module, call_config.count.as_ref(), call_config.for_each.as_ref())?;
        self.calls.insert(memo_key, instances.clone());
        Ok(instances)
    }

    /// The `count`/`each` names the arguments of one instance of a call see.
    fn call_instance_extra(
        &mut self,
        module: &ModulePath,
        call: &str,
        key: &InstanceKey,
    ) -> Result<BTreeMap<String, Value>, Diagnostic> {
        if *key == InstanceKey::None {
            return Ok(BTreeMap::new());
        }
        let instances = self.call_instances(module, call)?;
        Ok(instances.iter().find(|(k, _)| k == key).map(|(k, repeat)| repeat.names(k)).unwrap_or_default())
    }

    /// Every instance of the module at a static path, calling instances first expanded.
    pub fn module_instances(&mut self, path: &ModulePath) -> Result<Vec<ModulePath>, Diagnostic> {
        let Some((parent, step)) = path.parent() else { return Ok(vec![ModulePath::root()]) };
        let mut out = Vec::new();
        for parent_instance in self.module_instances(&parent)? {
            for (key, _) in self.call_instances(&parent_instance, &step.name)? {
                out.push(parent_instance.child_instance(&step.name, key));
            }
        }
        Ok(out)
    }

    fn remember(&mut self, key: (ModulePath, Kind, String), value: &Value) {
        if value.is_wholly_known() {
            self.memo.insert(key, value.clone());
        }
    }
}

/// What a reference puts in a scope, for [`Values::reuse_scope`].
enum Named<'r> {
    /// A managed resource's value: type and name.
    Resource(&'r str, &'r str),
    /// Nothing (`count`, `each`, `self`, or no attribute after the root).
    Nothing,
    /// Anything else (variables, locals, modules, paths, data sources).
    Other,
}

fn resource_named(reference: &RawReference) -> Named<'_> {
    let Some(first) = reference.step(0) else { return Named::Nothing };
    match reference.root.as_str() {
        "count" | "each" | "self" => Named::Nothing,
        "var" | "local" | "module" | "path" | "data" => Named::Other,
        type_name => Named::Resource(type_name, first),
    }
}

fn insert(scope: &mut BTreeMap<String, Value>, root: &str, name: &str, value: Value) {
    let entry = scope.entry(root.to_owned()).or_insert_with(|| Value::Map(BTreeMap::new()));
    if let Value::Map(entries) = entry {
        entries.insert(name.to_owned(), value);
    }
}

fn deeper(depth: usize, expr: &Expr) -> Result<usize, Diagnostic> {
    if depth >= MAX_DEPTH {
        return Err(Diagnostic::error(
            "Reference chain too deep",
            "Locals, outputs and module inputs refer to each other more than 64 levels deep.",
        )
        .with_subject(expr.span()));
    }
    Ok(depth + 1)
}

/// References of a resource body, its count/for_each and lifecycle, minus dynamic iterators.
pub(crate) fn resource_references(resource: &strata_config::Resource) -> Vec<RawReference> {
    let mut out: Vec<RawReference> =
        strata_config::body_expressions(resource).iter().flat_map(ExprRef::references).collect();
    for expr in resource.count.iter().chain(&resource.for_each) {
        out.extend(expr.references());
    }
    out
}

/// The resources (in the same module) a resource depends on directly or through locals,
/// variables and module outputs — what it must wait for during apply.
pub(crate) fn resource_dependencies(
    config: &Config,
    module: &ModulePath,
    resource: &strata_config::Resource,
) -> BTreeSet<strata_addrs::AbsResourceAddr> {
    resource_dependencies_from(config, module, resource, &resource_references(resource))
}

/// [`resource_dependencies`] given the resource's [`resource_references`], which planning has
/// already found (finding them is a walk over the body with a copy of every reference).
pub(crate) fn resource_dependencies_from(
    config: &Config,
    module: &ModulePath,
    resource: &strata_config::Resource,
    references: &[RawReference],
) -> BTreeSet<strata_addrs::AbsResourceAddr> {
    let module = module.to_static();
    let mut walk = DependencyWalk { config, found: BTreeSet::new(), seen: BTreeSet::new(), stack: Vec::new() };
    for expr in resource.depends_on.iter().chain(&resource.lifecycle.replace_triggered_by) {
        walk.stack.push((module.clone(), expr.borrowed()));
    }
    // The calls of every enclosing module: their count, for_each and depends_on.
    let mut inner = module.clone();
    while let Some((parent_path, step)) = inner.parent() {
        if let Some(call) = config.module(&parent_path).and_then(|p| p.module.module_calls.get(&step.name)) {
            for expr in call.count.iter().chain(&call.for_each).chain(&call.depends_on) {
                walk.stack.push((parent_path.clone(), expr.borrowed()));
            }
        }
        inner = parent_path;
    }
    if let Some(node) = config.module(&module) {
        for reference in references {
            walk.follow(node, &module, reference);
        }
    }
    let mut steps = 0;
    while let Some((path, expr)) = walk.stack.pop() {
        steps += 1;
        if steps > 100_000 {
            break;
        }
        let Some(node) = config.module(&path) else { continue };
        for reference in expr.references() {
            walk.follow(node, &path, &reference);
        }
    }
    walk.found
}

/// The state of [`resource_dependencies_from`]'s walk through locals, variables and modules.
struct DependencyWalk<'c> {
    config: &'c Config,
    found: BTreeSet<strata_addrs::AbsResourceAddr>,
    seen: BTreeSet<String>,
    stack: Vec<(ModulePath, ExprRef<'c>)>,
}

impl<'c> DependencyWalk<'c> {
    /// One reference made in module `path` (`node`): a resource is found; a local, variable or
    /// module leads to more expressions.
    fn follow(&mut self, node: &'c ModuleNode, path: &ModulePath, reference: &RawReference) {
        let config = self.config;
        let Some(first) = reference.step(0) else { return };
        // Locals, variables and modules lead further; each is followed once. (A resource
        // reference ends here, and `found` is a set: no key needed, which saves building
        // one per reference.)
        if matches!(reference.root.as_str(), "local" | "var" | "module") {
            let key = format!("{path}|{}|{first}|{}", reference.root, reference.step(1).unwrap_or(""));
            if !self.seen.insert(key) {
                return;
            }
        }
        match reference.root.as_str() {
            "local" => {
                if let Some(local) = node.module.locals.get(first) {
                    self.stack.push((path.clone(), local.expr.borrowed()));
                }
            }
            "var" if !path.is_root() => {
                let Some((parent_path, step)) = path.parent() else { return };
                if let Some((input, _)) = config
                    .module(&parent_path)
                    .and_then(|p| p.module.module_calls.get(&step.name))
                    .and_then(|c| c.inputs.get(first))
                {
                    self.stack.push((parent_path, input.borrowed()));
                }
            }
            "module" => {
                let child = path.child(first);
                if let Some(child_node) = config.module(&child) {
                    for output in child_node.module.outputs.values() {
                        self.stack.push((child.clone(), output.value.borrowed()));
                    }
                    for descendant in child_node.walk() {
                        for child_resource in descendant.module.resources.keys() {
                            self.found.insert(strata_addrs::AbsResourceAddr {
                                module: descendant.path.clone(),
                                resource: child_resource.clone(),
                            });
                        }
                    }
                }
            }
            "data" => {
                if let Some(name) = reference.step(1) {
                    let addr = ResourceAddr::data(first, name);
                    if node.module.resources.contains_key(&addr) {
                        self.found.insert(strata_addrs::AbsResourceAddr { module: path.clone(), resource: addr });
                    }
                }
            }
            "var" | "path" | "count" | "each" | "self" => {}
            type_name => {
                let addr = ResourceAddr::managed(type_name, first);
                if node.module.resources.contains_key(&addr) {
                    self.found.insert(strata_addrs::AbsResourceAddr { module: path.clone(), resource: addr });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("main.hcl"),
            r#"
variable "v" {
  default = "z"
}
resource "strata_data" "a" {
  input = "x"
}
resource "strata_data" "b" {
  input = strata_data.a.id
}
resource "strata_data" "c" {
  input = strata_data.a.output
}
resource "strata_data" "d" {
  input = "${var.v}-${strata_data.a.id}"
}
"#,
        )
        .unwrap();
        let mut files = strata_diagnostics::SourceFiles::new();
        let (config, diags) = strata_config::load(dir.path(), &mut files);
        assert!(!diags.has_errors(), "{diags:?}");
        config.unwrap()
    }

    fn object(id: &str) -> Value {
        Value::map([("id".to_owned(), Value::from(id)), ("output".to_owned(), Value::from(id))])
    }

    /// Resources referring to the same resources share one scope until one of those is set
    /// again; setting another resource keeps it; a scope with a variable is not kept.
    #[test]
    fn a_resource_only_scope_is_reused_until_one_of_its_resources_changes() {
        let config = config();
        let root = ModulePath::root();
        let resource =
            |name: &str| config.root.module.resources.get(&ResourceAddr::managed("strata_data", name)).unwrap();
        let context = |values: &mut Values<'_>, name: &str| {
            let r = resource(name);
            values.context_for(&root, r.body.file, &resource_references(r), &BTreeMap::new(), 0).unwrap()
        };
        let a = ResourceAddr::managed("strata_data", "a");
        let mut values = Values::new(&config, BTreeMap::from([("v".to_owned(), Value::from("z"))]));
        values.set_resource(&root, &a, object("1"));

        let b = context(&mut values, "b");
        let c = context(&mut values, "c");
        assert!(Arc::ptr_eq(&b.scope, &c.scope), "b and c name the same resource: one scope");
        assert_eq!(c.eval(&resource("c").body.body.get_attribute("input").unwrap().value).unwrap(), Value::from("1"));

        values.set_resource(&root, &ResourceAddr::managed("strata_data", "b"), object("b"));
        assert!(Arc::ptr_eq(&c.scope, &context(&mut values, "c").scope), "b is not in the scope");

        let d = context(&mut values, "d");
        assert!(!Arc::ptr_eq(&c.scope, &d.scope));
        assert_eq!(d.eval(&resource("d").body.body.get_attribute("input").unwrap().value).unwrap(), Value::from("z-1"));
        assert!(Arc::ptr_eq(&c.scope, &context(&mut values, "c").scope), "a scope with a variable is not kept");

        values.set_resource(&root, &a, object("2"));
        let c2 = context(&mut values, "c");
        assert!(!Arc::ptr_eq(&c.scope, &c2.scope), "a changed: a new scope");
        assert_eq!(c2.eval(&resource("c").body.body.get_attribute("input").unwrap().value).unwrap(), Value::from("2"));
        assert!(values.take_resource(&root, &a).is_some());
        assert!(!Arc::ptr_eq(&c2.scope, &context(&mut values, "c").scope), "a taken: a new scope");
    }
}
