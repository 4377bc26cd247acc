//! Configuration loading and validation.
//!
//! Entry point: [`load`], which reads the `*.hcl` files of a directory and the local modules it
//! calls into a [`Config`] (a tree of [`Module`]s), and [`validate`], which checks it against
//! resource schemas and the rules of the language. Both collect every problem into
//! [`Diagnostics`] instead of stopping at the first.
//!
//! Input variable values (`-var`, `-var-file`, `*.auto.hclvars`, `STRATA_VAR_*`) are gathered by
//! [`InputValues`]; [`dependency_graph`] turns references into the graph `strata graph` prints.

mod attribute_span;
mod body_value;
mod config;
mod decode;
mod expr;
mod graph;
mod input_values;
mod load;
mod model;
mod scope;
mod validate;

pub use body_value::evaluate_body;
pub use config::{Config, ModuleNode};
pub use expr::{Expr, ExprRef};
pub use graph::{DependencyGraph, GraphNode, dependency_graph};
pub use input_values::{InputValues, VariableSource};
pub use load::{load, load_files};
pub use model::*;
pub use validate::{body_expressions, validate};

pub use strata_diagnostics::Diagnostics;
