//! `strata graph [--full]`: the dependency graph in DOT on stdout.

use crate::cli::GraphArgs;
use crate::printer::Printer;

pub fn run(args: &GraphArgs, printer: &Printer) -> u8 {
    let (config, files, diags) = super::load_and_validate(&args.variables);
    printer.diagnostics(&diags, &files);
    let Some(config) = config.filter(|_| !diags.has_errors()) else { return 1 };
    let graph = strata_config::dependency_graph(&config);
    printer.data(&graph.to_dot(!args.full));
    0
}
