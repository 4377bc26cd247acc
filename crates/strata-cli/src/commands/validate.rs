//! `strata validate [--json]`: exit 0 when valid, 1 with diagnostics otherwise.

use serde::Serialize;
use strata_diagnostics::{Diagnostics, JsonDiagnostic, SourceFiles};

use crate::cli::ValidateArgs;
use crate::printer::Printer;

/// The `--json` document (shaped like `terraform validate -json`).
#[derive(Serialize)]
struct JsonOutput {
    format_version: &'static str,
    valid: bool,
    error_count: usize,
    warning_count: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

/// The diagnostics as the `--json` document, with its final newline. `plan --json` prints the
/// same document when the configuration is invalid, so CI jobs always get JSON on stdout.
pub(crate) fn json_document(diags: &Diagnostics, files: &SourceFiles) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let output = JsonOutput {
        format_version: "1.0",
        valid: errors == 0,
        error_count: errors,
        warning_count: diags.len() - errors,
        diagnostics: diags.iter().map(|d| JsonDiagnostic::new(d, files)).collect(),
    };
    let text = serde_json::to_string_pretty(&output).unwrap_or_default();
    format!("{text}\n")
}

pub fn run(args: &ValidateArgs, printer: &Printer) -> u8 {
    let (_config, files, diags) = super::load_and_validate(&args.variables);
    let valid = !diags.has_errors();
    if args.json {
        printer.data(&json_document(&diags, &files));
    } else {
        printer.diagnostics(&diags, &files);
        if valid {
            printer.status("Success! The configuration is valid.");
        } else {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            printer.status(&format!("The configuration is not valid: {errors} error(s)."));
        }
    }
    if valid { 0 } else { 1 }
}
