//! Indentation: two spaces per open bracket level, decided line by line.

use crate::lines::{Line, net_brackets};
use crate::token::{Token, TokenKind};

/// Sets the indentation of every line's first token.
///
/// A line that opens brackets indents what follows by one level, however many
/// brackets it opens (`foo([{` is one level, not three); the stack remembers
/// how many each level stands for so that the matching closers, possibly
/// spread over several lines, pop it again. A line that closes brackets is
/// itself printed at the outer level.
pub(crate) fn apply(tokens: &mut [Token], lines: &[Line]) {
    let mut levels: Vec<i32> = Vec::new();
    for line in lines {
        if line.lead.is_empty() {
            continue;
        }
        if tokens[line.lead.start].kind == TokenKind::Newline {
            // A blank line: no trailing whitespace.
            tokens[line.lead.start].spaces_before = 0;
            continue;
        }
        let mut net = net_brackets(&tokens[line.lead.clone()]);
        if let Some(assign) = &line.assign {
            net += net_brackets(&tokens[assign.clone()]);
        }
        let indent = if net > 0 {
            let indent = levels.len();
            levels.push(net);
            indent
        } else {
            close(&mut levels, -net);
            levels.len()
        };
        tokens[line.lead.start].spaces_before = 2 * indent;
    }
}

/// Pops `closed` brackets off the level stack, tolerating unbalanced lines.
fn close(levels: &mut Vec<i32>, mut closed: i32) {
    while closed > 0 {
        let Some(top) = levels.last_mut() else { return };
        if closed >= *top {
            closed -= *top;
            levels.pop();
        } else {
            *top -= closed;
            closed = 0;
        }
    }
}
