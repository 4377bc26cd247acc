//! `strata plan`: show what apply would change. With `--detailed-exitcode`: 0 no changes,
//! 1 error, 2 changes (drift detection in CI depends on this being exact).

use strata_engine::NoHook;
use strata_plan::PlanMode;

use super::run::{self, Run};
use crate::cli::PlanArgs;
use crate::printer::Printer;

pub fn run(args: &PlanArgs, printer: &Printer) -> u8 {
    let read_ahead = super::backend::read_ahead_default_state();
    let Some(run) = run::prepare_printed(&args.run, args.json, printer) else { return 1 };
    let mode = if args.destroy {
        PlanMode::Destroy
    } else if args.refresh_only {
        PlanMode::RefreshOnly
    } else {
        PlanMode::Normal
    };
    let how = Planning { mode, operation: "plan", parallelism: args.parallelism, json: args.json };
    let plan = make_plan(&run, &args.run, how, printer, read_ahead);
    let Some(plan) = plan else { return 1 };
    if let Some(path) = &args.out {
        let file = strata_plan::file::PlanFile {
            plan: plan.clone(),
            config_digest: run::config_digest(&run.files),
            variable_digests: run::variable_digests(&run.variables),
        };
        if let Err(e) = strata_plan::file::write(path, &file) {
            printer.error(&format!("writing the plan to {}: {e}", path.display()));
            return 1;
        }
    }
    if args.json {
        let text = serde_json::to_string_pretty(&strata_plan::json::to_json(&plan)).unwrap_or_default();
        printer.data(&format!("{text}\n"));
    } else {
        printer.data(&crate::views::plan_view::render(&plan));
        if mode == PlanMode::Normal {
            let (transient, diags) = strata_engine::transient_resources(&run.config, &run.variables);
            printer.diagnostics(&diags, &run.files);
            if let Some(note) = super::release::note(&transient) {
                printer.data(&note);
            }
        }
    }
    let code = match (args.detailed_exitcode, plan.has_changes()) {
        (true, true) => 2,
        _ => 0,
    };
    super::leak_at_exit((run, plan));
    code
}

/// What a command asks of [`make_plan`].
pub(crate) struct Planning<'a> {
    pub mode: PlanMode,
    /// Named in the lock's holder information (`plan`, `drift`).
    pub operation: &'a str,
    pub parallelism: usize,
    /// Errors also as JSON on stdout.
    pub json: bool,
}

/// Locks the state, reads it and plans; prints diagnostics (also as JSON on stdout with
/// `json`) and returns `None` on error.
pub(crate) fn make_plan(
    run: &Run,
    args: &crate::cli::RunArgs,
    how: Planning<'_>,
    printer: &Printer,
    read_ahead: Option<strata_state::ReadAhead>,
) -> Option<strata_plan::Plan> {
    let Planning { mode, operation, parallelism, json } = how;
    // With --json a failed plan still answers on stdout in JSON: validate's document.
    let report = |diags: &strata_diagnostics::Diagnostics| {
        if json && diags.has_errors() {
            printer.data(&super::validate::json_document(diags, &run.files));
        }
        printer.diagnostics(diags, &run.files);
    };
    let runtime = super::runtime();
    let timeout = match run::lock_timeout(&args.lock_timeout) {
        Ok(t) => t,
        Err(d) => {
            report(&d.into());
            return None;
        }
    };
    // Local state that does not exist yet is not created by a plan; the empty lineage says
    // "no state" in a saved plan, which then applies to a state that is still empty.
    let no_state = run.backend.local_path().is_some_and(|path| !path.exists());
    let opened = if no_state {
        Ok(None)
    } else {
        runtime.block_on(super::backend::open_read(&run.backend, operation, timeout, read_ahead)).map(Some)
    };
    let (guard, state) = match opened {
        Ok(Some((guard, state))) => (Some(guard), state),
        Ok(None) => (None, strata_state::State { lineage: String::new(), ..strata_state::State::new() }),
        Err(d) => {
            report(&d.into());
            return None;
        }
    };
    let options = match super::Selection::parse(&args.replace, &args.target, &args.exclude) {
        // The process exits after this plan (see `leak_at_exit`).
        Ok(selection) => strata_engine::PlanOptions {
            free_working_memory: false,
            ..selection.plan_options(mode, args.refresh, parallelism)
        },
        Err(d) => {
            report(&d.into());
            return None;
        }
    };
    let catalog = super::plugins::current().catalog.clone();
    runtime.block_on(async {
        let providers = match run::providers(&run.config, &run.variables).await {
            Ok(p) => p,
            Err(d) => {
                report(&d.into());
                return None;
            }
        };
        let (plan, diags) =
            strata_engine::plan(&run.config, &catalog, &state, run.variables.clone(), &providers, &options, &NoHook)
                .await;
        if let Some(guard) = guard {
            guard.release().await;
        }
        report(&diags);
        super::leak_at_exit(state);
        plan
    })
}
