//! Prints formatted tokens back to text.

use crate::token::{Token, TokenKind};

/// Joins the tokens with their spacing. Unlike `terraform fmt`, which keeps
/// them, trailing whitespace inside comments and blank lines at the end of the
/// file are dropped, so every formatted file ends in exactly one newline.
/// A file with no tokens at all stays empty.
pub(crate) fn render(tokens: &[Token], newline: &str) -> String {
    let mut output = String::new();
    for token in tokens {
        output.extend(std::iter::repeat_n(' ', token.spaces_before));
        if token.kind == TokenKind::Comment {
            push_trimmed_lines(&mut output, &token.text);
        } else {
            output.push_str(&token.text);
        }
    }
    let content_length = output.trim_end().len();
    output.truncate(content_length);
    if !output.is_empty() {
        output.push_str(newline);
    }
    output
}

/// Appends `text` with spaces and tabs removed from the end of each line,
/// keeping the line endings (`\n` or `\r\n`) as they were.
fn push_trimmed_lines(output: &mut String, text: &str) {
    for line in text.split_inclusive('\n') {
        let (content, ending) = match line.strip_suffix("\r\n") {
            Some(content) => (content, "\r\n"),
            None => line.strip_suffix('\n').map_or((line, ""), |content| (content, "\n")),
        };
        let trimmed = content.trim_end_matches([' ', '\t']);
        // A lone carriage return before the removed blanks would join the `\n` into a `\r\n`
        // and change the file's newline style on the next run; keep such a line as it is.
        output.push_str(if trimmed.ends_with('\r') { content } else { trimmed });
        output.push_str(ending);
    }
}
