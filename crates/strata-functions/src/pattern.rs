//! Regular expressions: `regex`, `regexall`, and the `/pattern/` form of `replace`. The syntax
//! is the `regex` crate's, which is close to the RE2 syntax Terraform uses.

use std::collections::BTreeMap;

use regex::{Captures, Regex};
use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;

/// Compiles argument `index`'s pattern, reporting a bad one against that argument.
pub(crate) fn compile(args: &Args, index: usize, pattern: &str) -> Result<Regex, FunctionError> {
    Regex::new(pattern).map_err(|error| {
        let detail = match error {
            regex::Error::Syntax(text) => {
                let last = text.lines().last().unwrap_or_default().trim();
                last.strip_prefix("error: ").unwrap_or(last).to_owned()
            }
            other => other.to_string(),
        };
        args.invalid(index, format!("invalid regular expression: {}", detail.trim_end_matches('.')))
    })
}

/// What one match gives, depending on the pattern: the matched text without capture groups,
/// a map with named groups, a list with unnamed ones.
fn match_value(regex: &Regex, captures: &Captures) -> Value {
    let text = |m: Option<regex::Match>| m.map_or(Value::Null, |m| Value::from(m.as_str()));
    if regex.captures_len() == 1 {
        return text(captures.get(0));
    }
    let names: Vec<Option<&str>> = regex.capture_names().skip(1).collect();
    if names.iter().any(Option::is_some) {
        let named: BTreeMap<String, Value> =
            names.iter().flatten().map(|name| ((*name).to_owned(), text(captures.name(name)))).collect();
        Value::Map(named)
    } else {
        Value::List((1..regex.captures_len()).map(|i| text(captures.get(i))).collect())
    }
}

fn parse(args: &Args) -> Result<(Regex, String), FunctionError> {
    let regex = compile(args, 0, &args.string(0)?)?;
    let names: Vec<Option<&str>> = regex.capture_names().skip(1).collect();
    if names.iter().any(Option::is_some) && names.iter().any(Option::is_none) {
        return Err(args.invalid(0, "named and unnamed capture groups cannot be mixed in one pattern"));
    }
    Ok((regex, args.string(1)?))
}

/// The first match; an error when there is none.
pub(crate) fn regex(args: &Args) -> Result<Value, FunctionError> {
    let (regex, text) = parse(args)?;
    match regex.captures(&text) {
        Some(captures) => Ok(match_value(&regex, &captures)),
        None => Err(args.failed("the pattern did not match any part of the given string")),
    }
}

/// Every match, as a list (empty when there is none).
pub(crate) fn regexall(args: &Args) -> Result<Value, FunctionError> {
    let (regex, text) = parse(args)?;
    Ok(Value::List(regex.captures_iter(&text).map(|captures| match_value(&regex, &captures)).collect()))
}
