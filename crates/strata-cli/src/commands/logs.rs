//! `strata logs ADDR [--tail N]`: prints the log a resource instance keeps on this machine.
//!
//! The convention: a resource whose schema has a computed `log_path` attribute keeps its log at
//! that path on the machine that ran `apply` (`emr_job`: the driver's whole output). The
//! command reads the attribute from the state; it talks to no provider.

use strata_addrs::ResourceInstanceAddr;
use strata_diagnostics::{Diagnostic, Diagnostics, SourceFiles};
use strata_value::Value;

use crate::cli::LogsArgs;
use crate::printer::Printer;

pub fn run(args: &LogsArgs, printer: &Printer) -> u8 {
    match log_text(args) {
        Ok(text) => {
            printer.data(&text);
            0
        }
        Err(diagnostic) => {
            printer.diagnostics(&Diagnostics::from(diagnostic), &SourceFiles::new());
            1
        }
    }
}

fn log_text(args: &LogsArgs) -> Result<String, Diagnostic> {
    let addr: ResourceInstanceAddr = args.address.parse().map_err(|e| {
        Diagnostic::error(
            "Invalid resource address",
            format!("\"{}\" is not a resource instance address: {e}.", args.address),
        )
    })?;
    let backend = super::run::configured_backend();
    let state = super::backend::read_state(&backend)
        .map_err(|e| Diagnostic::error("Cannot read the state", e))?
        .ok_or_else(|| Diagnostic::error("Cannot read the state", format!("no state at {}", backend.describe())))?;
    let Some(instance) = state.resources.get(&addr) else {
        let known: Vec<String> = state.resources.keys().map(ToString::to_string).collect();
        let mut diagnostic = Diagnostic::error(
            "Resource instance not in state",
            format!("{addr} is not in the state {}: it has not been applied (or was removed).", backend.describe()),
        );
        if let Some(suggestion) = strata_diagnostics::did_you_mean(&addr.to_string(), known.iter().map(String::as_str))
        {
            diagnostic = diagnostic.with_hint(suggestion);
        }
        return Err(diagnostic);
    };
    let attributes = strata_state::decode_value(&instance.attributes, &instance.sensitive_paths);
    let log_path = attributes.as_mapping().and_then(|entries| entries.get("log_path")).map(Value::peel);
    let path = match log_path {
        Some(Value::String(path)) => path.clone(),
        Some(_) => {
            return Err(Diagnostic::error(
                "No log recorded",
                format!("{addr} has a log_path attribute, but no log was recorded for it (log_path is null)."),
            )
            .with_hint(format!("strata run {addr} runs it again and records its log")));
        }
        None => {
            return Err(Diagnostic::error(
                "Resource keeps no log",
                format!(
                    "{addr} has no log_path attribute in the state: only resources whose schema has a computed \
                     log_path (such as emr_job) keep a log that strata logs can print, and only objects recorded \
                     since their provider has it."
                ),
            ));
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        let why =
            if e.kind() == std::io::ErrorKind::NotFound { "there is no such file".to_owned() } else { e.to_string() };
        Diagnostic::error("Cannot read the log", format!("The log of {addr} is {path}, but it cannot be read: {why}."))
            .with_hint("the log is kept on the machine that ran the apply; a later run of the job writes a new one")
    })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(match args.tail {
        Some(lines) => last_lines(&text, lines).to_owned(),
        None => text.into_owned(),
    })
}

/// The last `count` lines of `text` (a final line without a newline counts).
fn last_lines(text: &str, count: usize) -> &str {
    if count == 0 {
        return "";
    }
    let body = text.strip_suffix('\n').unwrap_or(text);
    match body.match_indices('\n').nth_back(count - 1) {
        Some((newline, _)) => &text[newline + 1..],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_counts_lines_from_the_end() {
        assert_eq!(last_lines("a\nb\nc\n", 2), "b\nc\n");
        assert_eq!(last_lines("a\nb\nc", 2), "b\nc");
        assert_eq!(last_lines("a\nb\n", 5), "a\nb\n");
        assert_eq!(last_lines("a\nb\n", 0), "");
        assert_eq!(last_lines("", 3), "");
    }
}
