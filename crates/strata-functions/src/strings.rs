//! String functions: `join`, `split`, `upper`, `lower`, `title`, `trim*`, `chomp`, `indent`,
//! `strrev`, `substr`, `startswith`, `endswith`, `replace`.

use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;
use crate::pattern;

fn map_string(args: &Args, op: impl FnOnce(&str) -> String) -> Result<Value, FunctionError> {
    Ok(Value::String(op(&args.string(0)?)))
}

pub(crate) fn upper(args: &Args) -> Result<Value, FunctionError> {
    map_string(args, str::to_uppercase)
}

pub(crate) fn lower(args: &Args) -> Result<Value, FunctionError> {
    map_string(args, str::to_lowercase)
}

/// Upper-cases the first letter of each word; letters, digits and `_` make up words.
pub(crate) fn title(args: &Args) -> Result<Value, FunctionError> {
    map_string(args, |s| {
        let mut out = String::with_capacity(s.len());
        let mut at_word_start = true;
        for c in s.chars() {
            if at_word_start {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            at_word_start = !(c.is_alphanumeric() || c == '_');
        }
        out
    })
}

pub(crate) fn trimspace(args: &Args) -> Result<Value, FunctionError> {
    map_string(args, |s| s.trim().to_owned())
}

/// Removes the trailing newlines (`\n`, `\r\n` or `\r`), all of them.
pub(crate) fn chomp(args: &Args) -> Result<Value, FunctionError> {
    map_string(args, |s| s.trim_end_matches(['\n', '\r']).to_owned())
}

pub(crate) fn strrev(args: &Args) -> Result<Value, FunctionError> {
    map_string(args, |s| s.chars().rev().collect())
}

/// Removes from both ends every character that appears in `str_character_set`.
pub(crate) fn trim(args: &Args) -> Result<Value, FunctionError> {
    let cutset: Vec<char> = args.string(1)?.chars().collect();
    map_string(args, |s| s.trim_matches(cutset.as_slice()).to_owned())
}

pub(crate) fn trimprefix(args: &Args) -> Result<Value, FunctionError> {
    let prefix = args.string(1)?;
    map_string(args, |s| s.strip_prefix(prefix.as_str()).unwrap_or(s).to_owned())
}

pub(crate) fn trimsuffix(args: &Args) -> Result<Value, FunctionError> {
    let suffix = args.string(1)?;
    map_string(args, |s| s.strip_suffix(suffix.as_str()).unwrap_or(s).to_owned())
}

pub(crate) fn startswith(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::Bool(args.string(0)?.starts_with(&args.string(1)?)))
}

pub(crate) fn endswith(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::Bool(args.string(0)?.ends_with(&args.string(1)?)))
}

pub(crate) fn join(args: &Args) -> Result<Value, FunctionError> {
    let separator = args.string(0)?;
    Ok(Value::String(args.strings(1)?.join(&separator)))
}

/// An empty separator splits into characters; an empty string gives one empty element.
pub(crate) fn split(args: &Args) -> Result<Value, FunctionError> {
    let separator = args.string(0)?;
    let text = args.string(1)?;
    let parts: Vec<Value> = if separator.is_empty() {
        text.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        text.split(separator.as_str()).map(Value::from).collect()
    };
    Ok(Value::List(parts))
}

/// Prefixes every line but the first with `spaces` spaces.
pub(crate) fn indent(args: &Args) -> Result<Value, FunctionError> {
    let spaces = args.integer(0)?;
    if spaces < 0 {
        return Err(args.invalid(0, "the number of spaces must not be negative"));
    }
    let padding = format!("\n{}", " ".repeat(spaces as usize));
    Ok(Value::String(args.string(1)?.replace('\n', &padding)))
}

/// Characters from `offset` (negative counts from the end) for `length` characters (-1 for
/// the rest of the string); out-of-range parts are cut off.
pub(crate) fn substr(args: &Args) -> Result<Value, FunctionError> {
    let chars: Vec<char> = args.string(0)?.chars().collect();
    let offset = args.integer(1)?;
    let length = args.integer(2)?;
    let len = chars.len() as i64;
    let start = if offset < 0 { (len + offset).max(0) } else { offset.min(len) };
    let end = if length < 0 { len } else { (start + length).min(len) };
    Ok(Value::String(chars[start as usize..end as usize].iter().collect()))
}

/// Replaces every occurrence of `substring`; when `substring` is wrapped in slashes
/// (`/[0-9]+/`) it is a regular expression and `replacement` may refer to captures (`$1`).
pub(crate) fn replace(args: &Args) -> Result<Value, FunctionError> {
    let text = args.string(0)?;
    let substring = args.string(1)?;
    let replacement = args.string(2)?;
    let result = match substring.strip_prefix('/').and_then(|s| s.strip_suffix('/')) {
        Some(expression) => {
            pattern::compile(args, 1, expression)?.replace_all(&text, replacement.as_str()).into_owned()
        }
        None => text.replace(&substring, &replacement),
    };
    Ok(Value::String(result))
}
