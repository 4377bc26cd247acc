//! Unknown values and sensitive marks, handled once for every function.
//!
//! - Sensitive: when any argument holds a mark anywhere, every mark is stripped, the function
//!   runs on plain values and the whole result is marked. Error messages never quote a
//!   sensitive argument (see `Args::quote`).
//! - Unknown: for a function whose table entry says `Unknowns::Generic`, an argument that is
//!   not wholly known makes the result `Value::Unknown` of the declared result type, without
//!   running the function. `Unknowns::Custom` functions receive the unknowns and return what
//!   is known; each documents what it does.

use strata_value::Value;

use crate::args::Args;
use crate::registry::{Spec, Unknowns};
use crate::{FunctionContext, FunctionError};

pub(crate) fn call_marked(
    spec: &'static Spec,
    args: Vec<Value>,
    ctx: &FunctionContext,
) -> Result<Value, FunctionError> {
    let sensitive: Vec<bool> = args.iter().map(Value::contains_sensitive).collect();
    let any_sensitive = sensitive.contains(&true);
    let plain: Vec<Value> = args.into_iter().map(|value| value.unmark_deep().0).collect();
    if spec.unknowns == Unknowns::Generic && !plain.iter().all(Value::is_wholly_known) {
        return Ok(Value::Unknown((spec.returns)(&plain)).with_sensitive(any_sensitive));
    }
    let args = Args::new(spec, plain, sensitive, ctx);
    (spec.run)(&args).map(|result| result.with_sensitive(any_sensitive))
}
