//! Groups tokens into lines, and each line into the three cells that
//! alignment works on: `lead` (everything before `=`), `assign` (`=` and the
//! value) and a trailing line `comment`.

use std::ops::Range;

use crate::token::{Token, TokenKind};

/// One source line, as ranges of indices into the token list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) lead: Range<usize>,
    /// Present only when the value ends on this line, so that `x = {` does not
    /// join an alignment run.
    pub(crate) assign: Option<Range<usize>>,
    pub(crate) comment: Option<Range<usize>>,
}

/// Splits `tokens` at newlines. A heredoc body holds no newline tokens, so a
/// heredoc attribute counts as one line, ending after its closing marker.
pub(crate) fn split_lines(tokens: &[Token]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (index, token) in tokens.iter().enumerate() {
        if token.ends_line() {
            lines.push(cells(tokens, start..index + 1));
            start = index + 1;
        }
    }
    if start < tokens.len() {
        lines.push(cells(tokens, start..tokens.len()));
    }
    lines
}

fn cells(tokens: &[Token], mut lead: Range<usize>) -> Line {
    let mut comment = None;
    // Only `#` and `//` comments are aligned, as by `terraform fmt`; a trailing `/* */` keeps
    // its single space (and must not become a cell only when it happens to end the file).
    let last = &tokens[lead.end - 1];
    if lead.len() > 1 && last.kind == TokenKind::Comment && !last.text.starts_with("/*") {
        comment = Some(lead.end - 1..lead.end);
        lead.end -= 1;
    }

    let mut assign = None;
    // The first `=` that is not at the start of the line is the attribute's.
    if let Some(equal) = lead.clone().skip(1).find(|&index| tokens[index].kind == TokenKind::Equal)
        && net_brackets(&tokens[equal..lead.end]) == 0
    {
        assign = Some(equal..lead.end);
        lead.end = equal;
    }
    Line { lead, assign, comment }
}

/// Net bracket depth change of a run of tokens, ignoring a heredoc's body:
/// its interpolations are text, not structure.
pub(crate) fn net_brackets(tokens: &[Token]) -> i32 {
    let mut net = 0;
    for token in tokens {
        net += token.bracket_change();
        if token.kind == TokenKind::OHeredoc {
            break;
        }
    }
    net
}
