//! Vertical alignment of `=` and of trailing comments across runs of
//! consecutive lines, as `terraform fmt` does.
//!
//! A run is broken by any line without the cell in question: a blank line, a
//! comment on its own line, a block header, a closing brace, or an attribute
//! whose value continues on the next line. Runs span nesting levels, exactly
//! like `terraform fmt`, which aligns on lines, not on syntax.

use std::ops::Range;

use crate::lines::Line;
use crate::token::{Token, columns};

/// Pads the `=` of each run so they line up, then the trailing comments
/// (after the `=` moved, since that shifts them).
pub(crate) fn apply(tokens: &mut [Token], lines: &[Line]) {
    align_runs(tokens, lines, |line| line.assign.clone(), |_, _| 0);
    align_runs(
        tokens,
        lines,
        |line| line.comment.clone(),
        |tokens, line| line.assign.clone().map_or(0, |assign| columns(&tokens[assign])),
    );
}

/// For every run of lines having `cell`, sets the spaces before the cell so
/// all of them start one column after the widest text preceding them.
fn align_runs(
    tokens: &mut [Token],
    lines: &[Line],
    cell: impl Fn(&Line) -> Option<Range<usize>>,
    extra_width: impl Fn(&[Token], &Line) -> usize,
) {
    let width = |tokens: &[Token], line: &Line| columns(&tokens[line.lead.clone()]) + extra_width(tokens, line);
    for run in lines.split(|line| cell(line).is_none()) {
        let widest = run.iter().map(|line| width(tokens, line)).max().unwrap_or(0);
        for line in run {
            let padding = widest - width(tokens, line) + 1;
            if let Some(range) = cell(line) {
                tokens[range.start].spaces_before = padding;
            }
        }
    }
}
