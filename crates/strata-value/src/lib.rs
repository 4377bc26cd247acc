//! Values and types of the Strata language.
//!
//! The main type is [`Value`]. Besides the usual JSON-like shapes it has two things planning
//! depends on:
//! - [`Value::Unknown`]: a value that will only be known after apply ("known after apply"),
//!   carrying the [`Type`] it will have;
//! - [`Value::Sensitive`]: a mark wrapping a value that must never be shown. Marks nest, so a
//!   list may hold one sensitive element; [`Value::unmark_deep`] strips them all and reports
//!   whether there were any, which is how operators and functions propagate them.
//!
//! Tuples are lists and objects are maps: [`Type::of`] tells a homogeneous `list(T)` from a
//! `tuple([...])` when a type matters (conversion, validation).

mod convert;
mod json;
mod number;
mod types;
mod value;

pub use convert::{ConvertError, convert};
pub use json::{from_json, to_json};
pub use number::format_number;
pub use types::{ObjectAttr, Type};
pub use value::Value;
