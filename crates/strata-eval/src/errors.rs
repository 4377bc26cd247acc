//! Building diagnostics with spans of expression nodes.

use std::ops::Range;

use strata_diagnostics::{Diagnostic, FileId, Span};

/// The span of any hcl-edit node in a file (hcl-edit spans are byte ranges of the parsed text).
pub(crate) fn span_of(file: FileId, node: &impl hcl::edit::Span) -> Option<Span> {
    node.span().map(|r: Range<usize>| Span::new(file, r))
}

pub(crate) fn error_at(
    file: FileId,
    node: &impl hcl::edit::Span,
    summary: &str,
    detail: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(summary, detail).with_subject(span_of(file, node))
}
