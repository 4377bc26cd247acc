//! One file per command; each returns its exit code.

mod fmt;
mod graph;
mod validate;

use std::path::Path;

use strata_config::{Config, InputValues};
use strata_diagnostics::{Diagnostics, SourceFiles};

use crate::cli::{Command, VariableArgs};
use crate::printer::Printer;

pub fn run(command: Command, printer: &Printer) -> u8 {
    match command {
        Command::Validate(args) => validate::run(&args, printer),
        Command::Fmt(args) => fmt::run(&args, printer),
        Command::Graph(args) => graph::run(&args, printer),
    }
}

/// Loads the configuration in the working directory and validates it with the given
/// variable values. Every problem is in the returned diagnostics.
pub(crate) fn load_and_validate(variables: &VariableArgs) -> (Option<Config>, SourceFiles, Diagnostics) {
    let mut files = SourceFiles::new();
    let dir = Path::new(".");
    let (config, mut diags) = strata_config::load(dir, &mut files);
    let Some(config) = config else { return (None, files, diags) };

    let mut inputs = InputValues::discover(dir, std::env::vars(), &mut files, &mut diags);
    for path in &variables.var_files {
        inputs.read_file(path, &mut files, &mut diags);
    }
    for assignment in &variables.vars {
        inputs.set_from_command_line(assignment, &mut diags);
    }
    let values = inputs.resolve(&config.root.module.variables, &mut diags);
    if !diags.has_errors() {
        let catalog = strata_schema::builtin_catalog();
        diags.extend(strata_config::validate(&config, &catalog, &values));
    }
    diags.sort_and_dedup();
    (Some(config), files, diags)
}
