//! The standard library of functions of the Strata configuration language, like Terraform's
//! built-in functions (`join`, `lookup`, `cidrsubnet`, `jsonencode`, ...).
//!
//! The entry point is [`call`]: it looks a function up by name, checks the number of arguments,
//! and handles the two things planning depends on once for every function (see `marks.rs`):
//! - sensitive marks anywhere in the arguments are stripped before the call and put back on the
//!   whole result;
//! - an argument that is not wholly known makes the result unknown (of the type the function
//!   declares), except for the functions that can do better, such as `length` of a list whose
//!   elements are unknown but whose length is known.
//!
//! [`exists`], [`names`] and [`signature`] serve diagnostics ("did you mean", usage lines).
//! `try`, `can` and `templatefile` are not here: the evaluator implements them, as they need
//! unevaluated expressions or the expression language itself.

mod args;
mod collections;
mod conversion;
mod crypto;
mod encoding;
mod error;
mod filesystem;
mod format;
mod impure;
mod lists;
mod marks;
mod network;
mod numeric;
mod pattern;
mod registry;
mod sets;
mod strings;
mod verbs;

use std::path::PathBuf;

use strata_value::Value;

pub use error::{Arity, FunctionError};

/// What a function call may need from its surroundings.
#[derive(Clone, Debug, Default)]
pub struct FunctionContext {
    /// The directory relative paths given to `file()`, `fileexists()` and friends are read
    /// from: the calling module's directory (`path.module`).
    pub base_dir: PathBuf,
}

/// Calls the function `name` with `args`.
pub fn call(name: &str, args: Vec<Value>, ctx: &FunctionContext) -> Result<Value, FunctionError> {
    let spec = registry::find(name).ok_or_else(|| FunctionError::Unknown { name: name.to_owned() })?;
    let expected = spec.arity();
    if !expected.accepts(args.len()) {
        return Err(FunctionError::Arity { name: spec.name().to_owned(), expected, got: args.len() });
    }
    marks::call_marked(spec, args, ctx)
}

/// True when a function of that name exists.
pub fn exists(name: &str) -> bool {
    registry::find(name).is_some()
}

/// The names of all functions, in alphabetical order.
pub fn names() -> impl Iterator<Item = &'static str> {
    registry::FUNCTIONS.iter().map(registry::Spec::name)
}

/// How a function is called, e.g. `join(separator, list)`; `[name]` marks an optional
/// parameter and `name...` one that takes any number of arguments.
pub fn signature(name: &str) -> Option<&'static str> {
    registry::find(name).map(|spec| spec.signature)
}
