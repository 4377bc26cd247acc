//! The one printer: data to stdout, everything else to stderr; colour only when wanted.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme};
use strata_diagnostics::{Diagnostics, Rendered, SourceFiles};

pub struct Printer {
    color: bool,
}

impl Printer {
    pub fn new(no_color: bool) -> Printer {
        let color =
            !no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal();
        Printer { color }
    }

    /// Data the user asked for (formatted files, DOT, JSON).
    pub fn data(&self, text: &str) {
        print!("{text}");
    }

    /// A status line for humans.
    pub fn status(&self, text: &str) {
        eprintln!("{text}");
    }

    pub fn error(&self, text: &str) {
        eprintln!("error: {text}");
    }

    /// Renders diagnostics for humans on stderr, with source snippets.
    pub fn diagnostics(&self, diagnostics: &Diagnostics, files: &SourceFiles) {
        let theme = if self.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_context_lines(1);
        for diagnostic in diagnostics {
            let mut out = String::new();
            if handler.render_report(&mut out, &Rendered::new(diagnostic, files)).is_ok() {
                eprintln!("{out}");
            }
        }
    }
}
