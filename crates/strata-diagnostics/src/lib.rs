//! Diagnostics: the problems Strata reports to users.
//!
//! The main type is [`Diagnostic`]: a severity, a fixed summary (no user values), a detail in
//! full sentences, an optional hint, and a subject [`Span`] into a file registered in
//! [`SourceFiles`]. Loading, validating and planning collect every problem into [`Diagnostics`]
//! and return it next to their result instead of stopping at the first one.
//!
//! Rendering lives here too because both renderings are pure functions of a diagnostic and the
//! source text: [`Rendered`] adapts a diagnostic to `miette::Diagnostic` for the human view, and
//! [`JsonDiagnostic`] is the stable machine format behind `--json`.

mod collection;
mod diagnostic;
mod json;
mod render;
mod source;
mod suggest;

pub use collection::Diagnostics;
pub use diagnostic::{Diagnostic, Severity};
pub use json::{JsonDiagnostic, JsonPos, JsonRange};
pub use render::Rendered;
pub use source::{FileId, Position, SourceFile, SourceFiles, Span};
pub use suggest::did_you_mean;
