//! How formatting can fail: the input is not valid HCL, or it uses a construct the formatter
//! cannot lay out safely.

/// Why a source could not be formatted.
///
/// The formatter never guesses at broken input: a file that does not parse is
/// reported, not rewritten, so `strata fmt` cannot make a bad file worse.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The source is not valid HCL. `line` and `column` are one-based.
    #[error("syntax error at line {line}, column {column}: {message}")]
    Parse { message: String, line: usize, column: usize },
    /// The input is valid but formatting it would have produced invalid HCL near this
    /// position (in the formatted text); the input is left as it is.
    #[error(
        "this file uses a construct the formatter cannot lay out safely (near line {line}, column {column} of the formatted text); it was left unchanged"
    )]
    Unsupported { line: usize, column: usize },
}

impl From<hcl::edit::parser::Error> for FormatError {
    fn from(error: hcl::edit::parser::Error) -> Self {
        let location = error.location();
        FormatError::Parse { message: error.message().to_owned(), line: location.line(), column: location.column() }
    }
}
