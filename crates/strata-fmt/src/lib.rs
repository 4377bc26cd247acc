//! The canonical formatter behind `strata fmt`: [`format_source`] rewrites an
//! HCL file into the layout `terraform fmt` produces, keeping every comment.
//!
//! The source is first parsed with hcl-edit, so invalid input is reported as
//! [`FormatError::Parse`] and never rewritten. Formatting itself is a token
//! pass in the manner of hclwrite, the library behind `terraform fmt`: the
//! source is split into tokens and lines, then three passes set only the
//! whitespace before each token: indentation, spacing between tokens, and
//! alignment of `=` and trailing comments. Working on tokens rather than a
//! syntax tree is what keeps comments in any position, and the literal text of
//! heredocs byte for byte (like `terraform fmt`, the spacing inside their
//! `${ }` and `%{ }` sequences is normalized). The one non-whitespace change,
//! also from `terraform fmt`, is quoting bare block labels: `provider "aws"`.
//!
//! Deliberate differences from `terraform fmt`, whose other conventions are
//! matched (see `testdata/fmt`, generated with Terraform 1.11):
//! - no Terraform-specific rewrites that change meaning in hcl-rs terms:
//!   `"${var.x}"` is not unwrapped to `var.x`, and `type = "string"` is kept;
//! - trailing whitespace inside comments is removed;
//! - the file ends with exactly one newline (extra trailing blank lines go);
//!   an empty file stays empty.

mod align;
mod error;
mod indent;
mod labels;
mod lexer;
mod lines;
mod render;
mod spacing;
mod token;

pub use error::FormatError;

/// Formats an HCL source file. The result is idempotent, parses again, and has
/// the same structure as `source`.
///
/// # Errors
///
/// [`FormatError::Parse`] when `source` is not valid HCL.
pub fn format_source(source: &str) -> Result<String, FormatError> {
    let formatted = format_once(source)?;
    // The result must be a fixed point: formatting it again changes nothing. The token passes
    // can still disagree with themselves on pathological runs of operators and dots inside
    // text hcl-edit accepts (found by fuzzing); such a file is left as it is rather than
    // rewritten differently on every run.
    let again = format_once(&formatted).unwrap_or_default();
    if again == formatted {
        return Ok(formatted);
    }
    let at = formatted.bytes().zip(again.bytes()).take_while(|(a, b)| a == b).count();
    let line = formatted[..at].matches('\n').count() + 1;
    let column = at - formatted[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    Err(FormatError::Unsupported { line, column })
}

fn format_once(source: &str) -> Result<String, FormatError> {
    let body = hcl::edit::parser::parse_body(source)?;
    let mut tokens = lexer::lex(source, &labels::bare_label_offsets(&body));
    let lines = lines::split_lines(&tokens);
    indent::apply(&mut tokens, &lines);
    spacing::apply(&mut tokens, &lines);
    align::apply(&mut tokens, &lines);
    let formatted = render::render(&tokens, newline_style(source));
    // Never hand back text that no longer parses: the token passes do not understand every
    // corner hcl-edit accepts (a raw `"` inside a template directive, say). The caller then
    // leaves the file as it was.
    if let Err(error) = hcl::edit::parser::parse_body(&formatted) {
        let location = error.location();
        return Err(FormatError::Unsupported { line: location.line(), column: location.column() });
    }
    Ok(formatted)
}

/// Files written with CRLF keep it: the newline tokens are copied as they
/// are, and the one added at the end of the file matches them.
fn newline_style(source: &str) -> &'static str {
    match source.find('\n') {
        Some(index) if source[..index].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}
