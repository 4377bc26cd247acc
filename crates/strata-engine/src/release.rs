//! Transient resources (`lifecycle { transient = true }`): objects that live for one apply.
//!
//! A nightly batch wants its cluster made, its jobs run and the cluster released in one
//! command, and released even when a job fails. The apply command plans and applies as usual,
//! then applies [`release_plan`]: a delete of every transient instance in the state. What
//! depends on a transient object (the jobs) is not deleted: it stays in state as the record
//! of the run (status, application id, output). The next apply creates the transient object
//! again, and dependents that refer to its attributes (a job's `cluster` id) are replaced, so
//! the jobs run again.

use std::collections::{BTreeMap, BTreeSet};

use strata_addrs::{AbsResourceAddr, ResourceMode};
use strata_config::Config;
use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_plan::{Action, ActionReason, Plan, PlanMode, ResourceChange};
use strata_state::State;
use strata_value::Value;

use crate::values::Values;

/// The managed resources whose `lifecycle.transient` is true (it may come from a variable).
pub fn transient_resources(
    config: &Config,
    root_variables: &BTreeMap<String, Value>,
) -> (BTreeSet<AbsResourceAddr>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut found = BTreeSet::new();
    let mut values = Values::new(config, root_variables.clone());
    for node in config.root.walk() {
        for (addr, resource) in &node.module.resources {
            let Some(expr) = &resource.lifecycle.transient else { continue };
            if addr.mode != ResourceMode::Managed {
                continue;
            }
            let value = values.context(&node.path, expr, &BTreeMap::new()).and_then(|c| c.eval(&expr.expr));
            match value.map(|v| v.as_bool()) {
                Ok(Some(true)) => {
                    found.insert(AbsResourceAddr { module: node.path.clone(), resource: addr.clone() });
                }
                Ok(Some(false)) => {}
                Ok(None) => diags.push(
                    Diagnostic::error(
                        "Invalid lifecycle setting",
                        "transient must be known before apply: true or false, from constants and variables only.",
                    )
                    .with_subject(expr.span()),
                ),
                Err(d) => diags.push(d),
            }
        }
    }
    (found, diags)
}

/// The deletes that release every transient instance in `state`, or `None` when there is
/// none. Dependents are left alone; deletes among transient objects run in reverse
/// dependency order, as in any destroy. Outputs are kept (the plan has none to change).
pub fn release_plan(state: &State, transient: &BTreeSet<AbsResourceAddr>) -> Option<Plan> {
    let changes: Vec<ResourceChange> = state
        .resources
        .iter()
        .filter(|(addr, _)| transient.contains(&addr.resource.to_static()))
        .map(|(addr, instance)| ResourceChange {
            addr: addr.clone(),
            provider: instance.provider.clone(),
            action: Action::Delete,
            before: Some(strata_state::decode_value(&instance.attributes, &instance.sensitive_paths)),
            after: None,
            replace_paths: Vec::new(),
            reason: Some(ActionReason::Transient),
            dependencies: instance.dependencies.clone(),
            create_before_destroy: false,
        })
        .collect();
    if changes.is_empty() {
        return None;
    }
    Some(Plan {
        mode: PlanMode::Normal,
        prior_lineage: state.lineage.clone(),
        prior_serial: state.serial,
        changes,
        drift: Vec::new(),
        outputs: Vec::new(),
        reconciled: Vec::new(),
        moved: Vec::new(),
    })
}
