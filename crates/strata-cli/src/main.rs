//! `strata`: the command line. Entry point [`main`]; argument definitions in [`cli`]; every
//! byte users see goes through [`printer::Printer`].

mod cli;
mod commands;
mod printer;
mod views;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before anything sizeable is allocated: fresh heap memory populated on the second core,
    // or (STRATA_HUGE_PAGES=1) backed by huge pages; see the crate's docs for why.
    if strata_heap::use_huge_pages() == strata_heap::Outcome::Off {
        strata_heap::prefault_heap();
    }
    let cli = cli::Cli::parse();
    let printer = printer::Printer::new(cli.no_color);
    if let Some(dir) = &cli.chdir
        && let Err(e) = std::env::set_current_dir(dir)
    {
        printer.error(&format!("cannot change to directory {}: {e}", dir.display()));
        return ExitCode::from(1);
    }
    commands::set_verbose(cli.verbose);
    let code = commands::run(cli.command, &printer);
    ExitCode::from(code)
}
