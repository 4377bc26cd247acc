//! Set algebra: `setunion`, `setintersection`, `setsubtract`. Lists are accepted as sets; the
//! results are sets.

use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;

pub(crate) fn setunion(args: &Args) -> Result<Value, FunctionError> {
    let mut all = Vec::new();
    for index in 0..args.len() {
        all.extend(args.sequence(index)?.iter().cloned());
    }
    Ok(Value::set(all))
}

pub(crate) fn setintersection(args: &Args) -> Result<Value, FunctionError> {
    let mut common = args.sequence(0)?.to_vec();
    for index in 1..args.len() {
        let other = args.sequence(index)?;
        common.retain(|item| other.contains(item));
    }
    Ok(Value::set(common))
}

/// The elements of `a` that are not in `b`.
pub(crate) fn setsubtract(args: &Args) -> Result<Value, FunctionError> {
    let removed = args.sequence(1)?;
    Ok(Value::set(args.sequence(0)?.iter().filter(|item| !removed.contains(item)).cloned()))
}
