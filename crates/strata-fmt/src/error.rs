//! The one way formatting can fail: the input is not valid HCL.

/// Why a source could not be formatted.
///
/// The formatter never guesses at broken input: a file that does not parse is
/// reported, not rewritten, so `strata fmt` cannot make a bad file worse.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The source is not valid HCL. `line` and `column` are one-based.
    #[error("syntax error at line {line}, column {column}: {message}")]
    Parse { message: String, line: usize, column: usize },
}

impl From<hcl::edit::parser::Error> for FormatError {
    fn from(error: hcl::edit::parser::Error) -> Self {
        let location = error.location();
        FormatError::Parse { message: error.message().to_owned(), line: location.line(), column: location.column() }
    }
}
