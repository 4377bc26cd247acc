//! The `--json` form of a diagnostic (shaped like `terraform validate -json`).

use serde::Serialize;

use crate::{Diagnostic, SourceFiles};

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct JsonPos {
    pub line: usize,
    pub column: usize,
    pub byte: usize,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct JsonRange {
    pub filename: String,
    pub start: JsonPos,
    pub end: JsonPos,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct JsonDiagnostic {
    pub severity: &'static str,
    pub summary: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<JsonRange>,
    /// The source text the range covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl JsonDiagnostic {
    pub fn new(diagnostic: &Diagnostic, files: &SourceFiles) -> JsonDiagnostic {
        let range = diagnostic.subject.and_then(|span| {
            let file = files.get(span.file)?;
            let pos = |b| {
                let p = file.position(b);
                JsonPos { line: p.line, column: p.column, byte: p.byte }
            };
            Some(JsonRange { filename: file.name.clone(), start: pos(span.start), end: pos(span.end) })
        });
        JsonDiagnostic {
            severity: diagnostic.severity.as_str(),
            summary: diagnostic.summary.clone(),
            detail: diagnostic.detail.clone(),
            hint: diagnostic.hint.clone(),
            range,
            snippet: diagnostic.subject.and_then(|s| files.snippet(s)).map(str::to_owned),
        }
    }
}
