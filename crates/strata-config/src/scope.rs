//! The names a module's expressions see during validation.
//!
//! Validation knows variable values (given or default) but nothing created by apply, so
//! resources and module outputs are unknown values shaped by their schemas.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use strata_diagnostics::{Diagnostics, FileId};
use strata_eval::EvalContext;
use strata_functions::FunctionContext;
use strata_schema::SchemaSource;
use strata_value::{Type, Value};

use crate::ModuleNode;

pub(crate) struct ModuleScope {
    pub scope: Arc<BTreeMap<String, Value>>,
    pub functions: FunctionContext,
}

impl ModuleScope {
    pub fn context(&self, file: FileId) -> EvalContext {
        EvalContext { file, scope: self.scope.clone(), extra: BTreeMap::new(), functions: self.functions.clone() }
    }
}

pub(crate) fn build_scope(
    node: &ModuleNode,
    values: &BTreeMap<String, Option<Value>>,
    schemas: &dyn SchemaSource,
    diags: &mut Diagnostics,
) -> ModuleScope {
    let module = &node.module;
    let functions = FunctionContext { base_dir: module.dir.clone() };
    let mut scope: BTreeMap<String, Value> = BTreeMap::new();

    let variables = module
        .variables
        .iter()
        .map(|(name, v)| {
            let value = values.get(name).cloned().flatten().unwrap_or_else(|| Value::Unknown(v.ty.clone()));
            (name.clone(), value.with_sensitive(v.sensitive))
        })
        .collect();
    scope.insert("var".into(), Value::Map(variables));

    let dir = module.dir.display().to_string();
    let cwd = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
    scope.insert(
        "path".into(),
        Value::map([
            ("module".into(), Value::from(dir.as_str())),
            ("root".into(), Value::from(dir)),
            ("cwd".into(), Value::from(cwd)),
        ]),
    );

    let outputs_of = |name: &str| -> Value {
        let outputs =
            node.children.get(name).map(|c| c.module.outputs.keys().map(|o| (o.clone(), Value::unknown())).collect());
        match (node.module.module_calls.get(name), outputs) {
            (Some(call), _) if call.count.is_some() || call.for_each.is_some() => Value::unknown(),
            (_, Some(outputs)) => Value::Map(outputs),
            _ => Value::unknown(),
        }
    };
    let modules = module.module_calls.keys().map(|name| (name.clone(), outputs_of(name))).collect();
    scope.insert("module".into(), Value::Map(modules));

    let mut data: BTreeMap<String, Value> = BTreeMap::new();
    // One object type per resource type, not per resource: a module of 5,000 resources of
    // one type built the same type 5,000 times.
    let mut types: BTreeMap<(strata_addrs::ResourceMode, &str), Type> = BTreeMap::new();
    for (addr, resource) in &module.resources {
        let object_type = types
            .entry((addr.mode, addr.type_name.as_str()))
            .or_insert_with(|| {
                let schema = match addr.mode {
                    strata_addrs::ResourceMode::Managed => schemas.resource(&addr.type_name),
                    strata_addrs::ResourceMode::Data => schemas.data_source(&addr.type_name),
                };
                schema.map_or(Type::Any, |s| s.block.value_type())
            })
            .clone();
        let value = if resource.count.is_some() {
            Value::Unknown(Type::list(object_type))
        } else if resource.for_each.is_some() {
            Value::Unknown(Type::map(object_type))
        } else {
            Value::Unknown(object_type)
        };
        let table = match addr.mode {
            strata_addrs::ResourceMode::Managed => {
                scope.entry(addr.type_name.clone()).or_insert_with(|| Value::Map(BTreeMap::new()))
            }
            strata_addrs::ResourceMode::Data => {
                data.entry(addr.type_name.clone()).or_insert_with(|| Value::Map(BTreeMap::new()))
            }
        };
        if let Value::Map(entries) = table {
            entries.insert(addr.name.clone(), value);
        }
    }
    scope.insert("data".into(), Value::Map(data));

    let locals = evaluate_locals(node, &scope, &functions, diags);
    scope.insert("local".into(), Value::Map(locals));
    ModuleScope { scope: Arc::new(scope), functions }
}

/// Evaluates locals so each sees the ones it refers to (cycles are reported elsewhere; their
/// members are left unknown).
fn evaluate_locals(
    node: &ModuleNode,
    scope: &BTreeMap<String, Value>,
    functions: &FunctionContext,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Value> {
    let locals = &node.module.locals;
    let mut done: BTreeMap<String, Value> = BTreeMap::new();
    if locals.is_empty() {
        // Nothing to evaluate, so no copy of the scope (every resource of the module) either.
        return done;
    }
    let mut pending: BTreeSet<&String> = locals.keys().collect();
    let base = Arc::new(scope.clone());
    // Each pass evaluates the locals whose local references are all done; at most one pass per local.
    for _ in 0..=locals.len() {
        let ready: Vec<&String> = pending
            .iter()
            .copied()
            .filter(|name| {
                locals[*name].expr.references().iter().all(|r| {
                    r.root != "local" || r.step(0).is_none_or(|dep| done.contains_key(dep) || !locals.contains_key(dep))
                })
            })
            .collect();
        if ready.is_empty() {
            break;
        }
        for name in ready {
            let local = &locals[name];
            let mut context = EvalContext {
                file: local.expr.file,
                scope: base.clone(),
                extra: BTreeMap::new(),
                functions: functions.clone(),
            };
            context.extra.insert("local".into(), Value::Map(done.clone()));
            let value = match context.eval(&local.expr.expr) {
                Ok(v) => v,
                Err(d) => {
                    diags.push(d);
                    Value::unknown()
                }
            };
            done.insert(name.clone(), value);
            pending.remove(name);
        }
    }
    for name in pending {
        done.insert(name.clone(), Value::unknown());
    }
    done
}
