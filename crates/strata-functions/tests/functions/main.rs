//! Data-driven tests of the function library through its public entry point, `call`.
//! Each area has tables of `(function, arguments, expected result or error message)`.

mod collections;
mod encoding;
mod filesystem;
mod format;
mod marks;
mod network;
mod numeric;
mod registry;
mod strings;

use strata_functions::{FunctionContext, call};
use strata_value::{Type, Value};

/// One row: function name, arguments, and the result or the error's full message.
pub type Case = (&'static str, Vec<Value>, Result<Value, &'static str>);

/// Calls `name` and compares the result, or the error message, with `expected`.
pub fn check(name: &str, args: Vec<Value>, expected: Result<Value, &str>) {
    check_in(&FunctionContext::default(), name, args, expected);
}

pub fn check_in(ctx: &FunctionContext, name: &str, args: Vec<Value>, expected: Result<Value, &str>) {
    let shown: Vec<String> = args.iter().map(Value::canonical_key).collect();
    let got = call(name, args, ctx).map_err(|error| error.to_string());
    assert_eq!(got, expected.map_err(str::to_owned), "{name}({})", shown.join(", "));
}

pub fn check_all(cases: Vec<Case>) {
    for (name, args, expected) in cases {
        check(name, args, expected);
    }
}

pub fn s(text: &str) -> Value {
    Value::from(text)
}

pub fn n(number: impl Into<f64>) -> Value {
    Value::Number(number.into())
}

pub fn b(value: bool) -> Value {
    Value::Bool(value)
}

pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::List(items.into_iter().collect())
}

/// A list of strings.
pub fn strs(items: &[&str]) -> Value {
    list(items.iter().map(|item| s(item)))
}

pub fn set(items: impl IntoIterator<Item = Value>) -> Value {
    Value::set(items)
}

pub fn map(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)))
}

pub fn unknown(ty: Type) -> Value {
    Value::Unknown(ty)
}

pub fn secret(value: Value) -> Value {
    value.mark_sensitive()
}
