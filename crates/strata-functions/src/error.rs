//! Errors of a function call.

use std::fmt;

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arity {
    Exact(usize),
    AtLeast(usize),
    /// From the first to the second number, both included.
    Range(usize, usize),
}

impl Arity {
    pub fn accepts(self, count: usize) -> bool {
        match self {
            Arity::Exact(n) => count == n,
            Arity::AtLeast(n) => count >= n,
            Arity::Range(low, high) => (low..=high).contains(&count),
        }
    }
}

/// Reads as the end of "expects ...": "exactly 2 arguments", "2 or 3 arguments".
impl fmt::Display for Arity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Arity::Exact(n) => write!(f, "exactly {n} {}", plural(n)),
            Arity::AtLeast(n) => write!(f, "at least {n} {}", plural(n)),
            Arity::Range(low, high) if high == low + 1 => write!(f, "{low} or {high} arguments"),
            Arity::Range(low, high) => write!(f, "from {low} to {high} arguments"),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "argument" } else { "arguments" }
}

fn given(n: &usize) -> String {
    match n {
        0 => "none were given".to_owned(),
        1 => "1 was given".to_owned(),
        n => format!("{n} were given"),
    }
}

/// Why a call failed. Every message is a full sentence meant for the user.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum FunctionError {
    /// No function has that name.
    #[error("There is no function named \"{name}\".")]
    Unknown { name: String },
    /// The call has too few or too many arguments.
    #[error("Function \"{name}\" expects {expected}, but {}.", given(.got))]
    Arity { name: String, expected: Arity, got: usize },
    /// One argument has the wrong type or value; `index` counts from 0 and `message` names the
    /// parameter: `Invalid value for "separator": a string is required, but have a list.`
    #[error("{message}")]
    Argument { name: String, index: usize, message: String },
    /// The arguments are fine but the call failed (file not found, invalid JSON, ...);
    /// `message` is a sentence without the function name.
    #[error("Call to function \"{name}\" failed: {message}")]
    Failed { name: String, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        let cases = [
            (FunctionError::Unknown { name: "nope".into() }, "There is no function named \"nope\"."),
            (
                FunctionError::Arity { name: "lookup".into(), expected: Arity::Range(2, 3), got: 1 },
                "Function \"lookup\" expects 2 or 3 arguments, but 1 was given.",
            ),
            (
                FunctionError::Arity { name: "upper".into(), expected: Arity::Exact(1), got: 0 },
                "Function \"upper\" expects exactly 1 argument, but none were given.",
            ),
            (
                FunctionError::Arity { name: "merge".into(), expected: Arity::AtLeast(2), got: 1 },
                "Function \"merge\" expects at least 2 arguments, but 1 was given.",
            ),
            (
                FunctionError::Arity { name: "range".into(), expected: Arity::Range(1, 3), got: 4 },
                "Function \"range\" expects from 1 to 3 arguments, but 4 were given.",
            ),
            (
                FunctionError::Failed { name: "file".into(), message: "no file exists at \"x\".".into() },
                "Call to function \"file\" failed: no file exists at \"x\".",
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(error.to_string(), expected);
        }
    }
}
