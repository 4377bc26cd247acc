//! Whether the configuration has a given resource instance: `import` blocks and `strata import`
//! may name one in a module instance (`module.web[0].strata_data.x`), which must be a module the
//! configuration calls, an instance its `count`/`for_each` makes, and a resource instance the
//! resource's own `count`/`for_each` makes.

use std::collections::BTreeMap;

use strata_addrs::{InstanceKey, ModulePath, ResourceInstanceAddr, ResourceMode};
use strata_config::{Config, Resource};
use strata_diagnostics::Diagnostic;
use strata_value::Value;

use crate::values::Values;

const SUMMARY: &str = "Configuration for import target does not exist";

/// The resource block of `addr`, if the configuration has that instance; otherwise a
/// diagnostic naming the first step of the address it does not have. Instances whose
/// `count`/`for_each` cannot be evaluated yet are taken as present (planning reports why).
pub fn import_target<'c>(
    config: &'c Config,
    root_variables: BTreeMap<String, Value>,
    addr: &ResourceInstanceAddr,
) -> Result<&'c Resource, Diagnostic> {
    let mut values = Values::new(config, root_variables);
    check(&mut values, addr)
}

pub(crate) fn check<'c>(values: &mut Values<'c>, addr: &ResourceInstanceAddr) -> Result<&'c Resource, Diagnostic> {
    let config = values.config;
    // The modules: each call exists, and the key is one of its instances.
    let mut node = &config.root;
    let mut instance = ModulePath::root();
    for step in addr.resource.module.steps() {
        let Some(child) = node.children.get(&step.name) else {
            let calls: Vec<&str> = node.module.module_calls.keys().map(String::as_str).collect();
            let hint = strata_diagnostics::did_you_mean(&step.name, calls.iter().copied());
            return Err(Diagnostic::error(
                SUMMARY,
                format!("{addr} is in a module \"{}\" that {} does not call.", step.name, module_name(&instance)),
            )
            .with_optional_hint(hint));
        };
        if let Ok(instances) = values.call_instances(&instance, &step.name) {
            let keys: Vec<&InstanceKey> = instances.iter().map(|(key, _)| key).collect();
            if !keys.contains(&&step.key) {
                let call = instance.child(&step.name);
                let wanted = instance.child_instance(&step.name, step.key.clone());
                return Err(Diagnostic::error(
                    SUMMARY,
                    format!(
                        "{addr} is in {wanted}, which the configuration does not have: {}.",
                        instances_text(&call.to_string(), &keys)
                    ),
                )
                .with_hint(key_hint(&keys, &step.key)));
            }
        }
        instance = instance.child_instance(&step.name, step.key.clone());
        node = child;
    }
    let resource = node
        .module
        .resources
        .get(&addr.resource.resource)
        .filter(|r| r.addr.mode == ResourceMode::Managed)
        .ok_or_else(|| {
            let names: Vec<String> = node.module.resources.keys().map(ToString::to_string).collect();
            let hint =
                strata_diagnostics::did_you_mean(&addr.resource.resource.to_string(), names.iter().map(String::as_str))
                    .unwrap_or_else(|| {
                        "add a resource block for it, then plan to see how the object differs from it".into()
                    });
            Diagnostic::error(
                SUMMARY,
                format!(
                    "{addr} names the resource {}, which {} does not declare.",
                    addr.resource.resource,
                    module_name(&addr.resource.module.to_static())
                ),
            )
            .with_hint(hint)
        })?;
    // The resource's own instance key.
    if let Ok(instances) =
        crate::expand::repetition(values, &instance, resource.count.as_ref(), resource.for_each.as_ref())
    {
        let keys: Vec<&InstanceKey> = instances.iter().map(|(key, _)| key).collect();
        if !keys.contains(&&addr.key) {
            return Err(Diagnostic::error(
                SUMMARY,
                format!(
                    "The configuration has no instance {addr}: {}.",
                    instances_text(&addr.resource.to_string(), &keys)
                ),
            )
            .with_context(resource.decl_span)
            .with_hint(key_hint(&keys, &addr.key)));
        }
    }
    Ok(resource)
}

/// How to name an instance that exists: the kind of key, when `key` is of another kind.
fn key_hint(keys: &[&InstanceKey], key: &InstanceKey) -> &'static str {
    let kind = |k: &InstanceKey| std::mem::discriminant(k);
    if keys.iter().any(|k| kind(k) == kind(key)) {
        "import into one of those, or change the count or for_each that makes the instances first"
    } else {
        "with count, name an instance as [0]; with for_each, as [\"key\"]; without either, name it without a key"
    }
}

fn module_name(path: &ModulePath) -> String {
    if path.is_root() { "the root module".to_owned() } else { path.to_string() }
}

/// `the instances of module.web are module.web[0], module.web[1]`, and the like.
fn instances_text(name: &str, keys: &[&InstanceKey]) -> String {
    match keys {
        [] => format!("{name} has no instances"),
        [InstanceKey::None] => format!("{name} has neither count nor for_each, so its address has no key"),
        _ => {
            let shown: Vec<String> = keys.iter().take(5).map(|key| format!("{name}{key}")).collect();
            let more = if keys.len() > 5 { format!(" and {} more", keys.len() - 5) } else { String::new() };
            format!("the instances of {name} are {}{more}", shown.join(", "))
        }
    }
}
