//! `strata drift`: what changed outside Strata, for CI. A refresh-only plan whose drift section
//! is printed (with `--json`, as the report of `strata_plan::drift`); the exit code is always
//! detailed: 0 no drift, 2 drift, 1 error. State is not changed.

use strata_plan::PlanMode;

use super::run as prepare;
use crate::cli::DriftArgs;
use crate::printer::Printer;

pub fn run(args: &DriftArgs, printer: &Printer) -> u8 {
    let read_ahead = super::backend::read_ahead_default_state();
    let Some(run) = prepare::prepare_printed(&args.run, args.json, printer) else { return 1 };
    let how = super::plan::Planning {
        mode: PlanMode::RefreshOnly,
        operation: "drift",
        parallelism: args.parallelism,
        json: args.json,
    };
    let plan = super::plan::make_plan(&run, &args.run, how, printer, read_ahead);
    let Some(plan) = plan else { return 1 };
    if args.json {
        let text = serde_json::to_string_pretty(&strata_plan::drift::report(&plan)).unwrap_or_default();
        printer.data(&format!("{text}\n"));
    } else if plan.drift.is_empty() {
        printer.data("No drift: every object matches the state.\n");
    } else {
        let count = plan.drift.len();
        let objects = if count == 1 { "object" } else { "objects" };
        printer.data(&format!(
            "{}\n{count} {objects} changed outside Strata. `strata apply` repairs them; `strata refresh` records them in the state instead.\n",
            crate::views::plan_view::render_drift(&plan)
        ));
    }
    let code = if plan.drift.is_empty() { 0 } else { 2 };
    super::leak_at_exit((run, plan));
    code
}
