//! Functions whose result is not a function of their arguments: `timestamp` and `uuid`.
//! They return known values; whether to defer them to apply is the engine's decision.

use strata_value::Value;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::FunctionError;
use crate::args::Args;

/// The current time in RFC 3339 form, UTC, whole seconds: `2024-05-13T07:44:12Z`.
pub(crate) fn timestamp(args: &Args) -> Result<Value, FunctionError> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::now_utc()
        .format(format)
        .map(Value::String)
        .map_err(|error| args.failed(format!("cannot format the current time: {error}")))
}

/// A random (version 4) UUID in its hyphenated lowercase form.
pub(crate) fn uuid(_: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(uuid::Uuid::new_v4().to_string()))
}
