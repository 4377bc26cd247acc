//! `strata apply` and `strata destroy`: plan, confirm, apply; state persisted as each
//! change completes. Ctrl-C once: start nothing new, finish what runs; twice: abandon it.

use std::io::{BufRead, IsTerminal};

use strata_engine::{ApplyOptions, NoHook};
use strata_plan::PlanMode;
use tokio::sync::watch;

use super::run as prepare;
use crate::cli::ApplyArgs;
use crate::printer::Printer;
use crate::views::apply_progress::ApplyProgress;

pub fn run(args: &ApplyArgs, destroy: bool, printer: &Printer) -> u8 {
    let (run, warnings) = match prepare::prepare(&args.run) {
        Ok(prepared) => prepared,
        Err((files, diags)) => {
            printer.diagnostics(&diags, &files);
            return 1;
        }
    };
    printer.diagnostics(&warnings, &run.files);
    let mode = if destroy {
        PlanMode::Destroy
    } else if args.refresh_only {
        PlanMode::RefreshOnly
    } else {
        PlanMode::Normal
    };
    let operation = if destroy { "destroy" } else { "apply" };
    let runtime = super::runtime();
    let timeout = match prepare::lock_timeout(&args.run.lock_timeout) {
        Ok(t) => t,
        Err(d) => {
            printer.diagnostics(&d.into(), &run.files);
            return 1;
        }
    };
    let selection = match super::Selection::parse(&args.run.replace, &args.run.target, &args.run.exclude) {
        Ok(selection) => selection,
        Err(d) => {
            printer.diagnostics(&d.into(), &run.files);
            return 1;
        }
    };
    let catalog = super::plugins::current().catalog.clone();
    // Transient objects are released after a normal apply (not by destroy, which removes
    // everything anyway, nor by a refresh-only apply, which changes no object).
    let transient = if mode == PlanMode::Normal {
        let (transient, diags) = strata_engine::transient_resources(&run.config, &run.variables);
        if diags.has_errors() {
            printer.diagnostics(&diags, &run.files);
            return 1;
        }
        transient
    } else {
        Default::default()
    };
    runtime.block_on(async {
        let (guard, store, state) = match super::backend::open(&run.backend, operation, timeout).await {
            Ok(opened) => opened,
            Err(d) => {
                printer.diagnostics(&d.into(), &run.files);
                return 1;
            }
        };
        let providers = match prepare::providers(&run.config, &run.variables).await {
            Ok(p) => p,
            Err(d) => {
                printer.diagnostics(&d.into(), &run.files);
                return 1;
            }
        };
        let (plan, saved) = match &args.plan_file {
            Some(path) => match saved_plan(path, &run, &state) {
                Ok(plan) => (plan, true),
                Err(message) => {
                    printer.error(&message);
                    return 1;
                }
            },
            None => {
                let options = selection.plan_options(mode, args.run.refresh, args.parallelism);
                let (plan, diags) = strata_engine::plan(
                    &run.config,
                    &catalog,
                    &state,
                    run.variables.clone(),
                    &providers,
                    &options,
                    &NoHook,
                )
                .await;
                printer.diagnostics(&diags, &run.files);
                let Some(plan) = plan else { return 1 };
                (plan, false)
            }
        };
        printer.data(&crate::views::plan_view::render(&plan));
        if let Some(note) = super::release::note(&transient) {
            printer.data(&note);
        }
        if !plan.has_changes() {
            drop(store);
            // Transient objects a failed release left behind go now.
            let diags =
                super::release::release(&run, &catalog, &providers, &transient, args.parallelism, printer).await;
            guard.release().await;
            printer.diagnostics(&diags, &run.files);
            return u8::from(diags.has_errors());
        }
        // A saved plan was reviewed when it was made; applying it is the approval.
        if !saved && !args.auto_approve && !confirm(printer, destroy) {
            printer.status("Apply cancelled.");
            return 1;
        }
        let (stop_sender, stop) = watch::channel(0u8);
        tokio::spawn(async move {
            // Two Ctrl-C presses at most matter; the loop is bounded by that.
            for level in 1..=2u8 {
                if tokio::signal::ctrl_c().await.is_err() {
                    return;
                }
                let _ = stop_sender.send(level);
            }
        });
        let progress = ApplyProgress::new(printer);
        let stopped = stop.clone();
        let options = ApplyOptions { parallelism: args.parallelism, stop };
        let diags = strata_engine::apply(
            &run.config,
            &catalog,
            &plan,
            run.variables.clone(),
            &providers,
            store.backend(),
            &state,
            options,
            &progress,
        )
        .await;
        drop(store);
        printer.diagnostics(&diags, &run.files);
        let mut failed = diags.has_errors();
        // Released whether the apply succeeded or not; a second Ctrl-C abandons that too.
        if !transient.is_empty() && *stopped.borrow() < 2 {
            let released =
                super::release::release(&run, &catalog, &providers, &transient, args.parallelism, printer).await;
            printer.diagnostics(&released, &run.files);
            failed |= released.has_errors();
        }
        guard.release().await;
        if failed {
            return 1;
        }
        let (add, change, destroyed) = plan.counts();
        printer.status(&format!("\nApply complete! Resources: {add} added, {change} changed, {destroyed} destroyed."));
        super::leak_at_exit((plan, state));
        0
    })
}

/// Reads a saved plan and checks it still fits: same state (lineage and serial), same
/// configuration, same variable values.
fn saved_plan(
    path: &std::path::Path,
    run: &prepare::Run,
    state: &strata_state::State,
) -> Result<strata_plan::Plan, String> {
    let file = strata_plan::file::read(path).map_err(|e| e.to_string())?;
    let made_without_state = file.plan.prior_lineage.is_empty() && state.serial == 0 && state.resources.is_empty();
    if !made_without_state && (file.plan.prior_lineage != state.lineage || file.plan.prior_serial != state.serial) {
        let made_against = if file.plan.prior_lineage.is_empty() {
            "no state".to_owned()
        } else {
            format!("state {} serial {}", file.plan.prior_lineage, file.plan.prior_serial)
        };
        return Err(format!(
            "the saved plan {} is stale: it was made against {made_against}, but the state is now {} serial {}; make a new plan",
            path.display(),
            state.lineage,
            state.serial
        ));
    }
    if file.config_digest != prepare::config_digest(&run.files) {
        return Err(format!("the configuration changed since the plan {} was made; make a new plan", path.display()));
    }
    let digests = prepare::variable_digests(&run.variables);
    if let Some(name) =
        digests.keys().chain(file.variable_digests.keys()).find(|n| digests.get(*n) != file.variable_digests.get(*n))
    {
        return Err(format!(
            "the value of variable \"{name}\" differs from the one the plan {} was made with; pass the same values or make a new plan",
            path.display()
        ));
    }
    Ok(file.plan)
}

/// Asks on the terminal; without one (CI, pipes) apply needs --auto-approve.
fn confirm(printer: &Printer, destroy: bool) -> bool {
    if !std::io::stdin().is_terminal() {
        printer.error("apply needs confirmation, but there is no terminal; pass --auto-approve");
        return false;
    }
    let what = if destroy { "destroy all resources" } else { "perform these actions" };
    printer.status(&format!("\nDo you want to {what}? Only 'yes' will be accepted.\n  Enter a value: "));
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok() && answer.trim() == "yes"
}
