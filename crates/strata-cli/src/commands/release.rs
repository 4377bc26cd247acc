//! The release step of `strata apply`: objects of resources with `lifecycle { transient = true }`
//! are destroyed at the end of every apply, whether it succeeded or failed
//! (`strata_engine::release_plan`). The run keeps its lock from the apply through the release,
//! so no other run sees the cluster half-released.

use std::collections::BTreeSet;

use strata_addrs::AbsResourceAddr;
use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_engine::{ApplyOptions, ProviderSet};
use strata_schema::SchemaSource;
use tokio::sync::watch;

use super::run::Run;
use crate::printer::Printer;
use crate::views::apply_progress::ApplyProgress;

/// The note shown under a plan that creates or keeps transient objects.
pub fn note(transient: &BTreeSet<AbsResourceAddr>) -> Option<String> {
    if transient.is_empty() {
        return None;
    }
    let names: Vec<String> = transient.iter().map(ToString::to_string).collect();
    Some(format!(
        "\nTransient (lifecycle.transient): {}: released at the end of this apply, even if a change fails; what depends on them stays in state as the record of the run.\n",
        names.join(", ")
    ))
}

/// Destroys every transient object in the state the apply left; returns the problems met.
pub async fn release(
    run: &Run,
    catalog: &dyn SchemaSource,
    providers: &ProviderSet,
    transient: &BTreeSet<AbsResourceAddr>,
    parallelism: usize,
    printer: &Printer,
) -> Diagnostics {
    let (store, state) = match super::backend::reopen(&run.backend).await {
        Ok(opened) => opened,
        Err(d) => return d.into(),
    };
    let Some(plan) = strata_engine::release_plan(&state, transient) else { return Diagnostics::new() };
    let names: Vec<String> = plan.changes.iter().map(|c| c.addr.to_string()).collect();
    printer.status(&format!("\nReleasing transient objects: {}", names.join(", ")));
    // Ctrl-C during the apply stopped its walk; the release still runs (leaving a cluster
    // behind is what a transient resource exists to prevent). A second Ctrl-C during the
    // apply abandons both: see `apply::run`.
    let (_keep, stop) = watch::channel(0u8);
    let progress = ApplyProgress::new(printer);
    let mut diags = strata_engine::apply(
        &run.config,
        catalog,
        &plan,
        run.variables.clone(),
        providers,
        store.backend(),
        &state,
        ApplyOptions { parallelism, stop },
        &progress,
    )
    .await;
    drop(store);
    if diags.has_errors() {
        diags.push(
            Diagnostic::error(
                "Transient objects not released",
                "Some transient objects could not be destroyed; they are still in state.",
            )
            .with_hint("fix the problem above, then run `strata apply` again (it releases them) or `strata destroy`"),
        );
    } else {
        printer.status(&format!("Released: {}.", names.join(", ")));
    }
    diags
}
