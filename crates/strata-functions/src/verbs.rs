//! Rendering one `format` verb, with Go's printf rules for flags, width and precision.

use strata_value::{Type, Value, format_number};

use crate::args::{convert_primitive, describe};
use crate::encoding::json_text;

/// The verb letters `format` knows.
pub(crate) const LETTERS: &str = "vstqdboxXeEfFgG";

#[derive(Default)]
pub(crate) struct Verb {
    pub(crate) minus: bool,
    pub(crate) plus: bool,
    pub(crate) sharp: bool,
    pub(crate) space: bool,
    pub(crate) zero: bool,
    pub(crate) width: Option<usize>,
    pub(crate) precision: Option<usize>,
    pub(crate) letter: char,
}

/// `value` formatted by `verb`; the message says why the value does not fit.
pub(crate) fn render(verb: &Verb, value: &Value) -> Result<String, String> {
    if value.is_null() && verb.letter != 'v' {
        return Err("null value cannot be formatted".to_owned());
    }
    match verb.letter {
        'v' if verb.sharp => Ok(pad(verb, json_text(value))),
        'v' => Ok(pad(verb, plain(value))),
        's' => {
            let text = string(value)?;
            let text = match verb.precision {
                Some(limit) => text.chars().take(limit).collect(),
                None => text,
            };
            Ok(pad(verb, text))
        }
        'q' => Ok(pad(verb, json_text(&Value::String(string(value)?)))),
        't' => match convert_primitive(value, &Type::Bool) {
            Some(Value::Bool(b)) => Ok(pad(verb, b.to_string())),
            _ => Err(format!("a bool is required, but have {}", describe(value))),
        },
        'd' | 'b' | 'o' | 'x' | 'X' => integer(verb, number(value)?),
        _ => Ok(float(verb, number(value)?)),
    }
}

/// `%v`: strings as they are, numbers as written, collections as JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => format_number(*n),
        Value::Bool(b) => b.to_string(),
        other => json_text(other),
    }
}

fn string(value: &Value) -> Result<String, String> {
    match convert_primitive(value, &Type::String) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(format!("a string is required, but have {}", describe(value))),
    }
}

fn number(value: &Value) -> Result<f64, String> {
    match convert_primitive(value, &Type::Number) {
        Some(Value::Number(n)) => Ok(n),
        _ if value.as_str().is_some() => Err("a number is required, but have a string that is not a number".to_owned()),
        _ => Err(format!("a number is required, but have {}", describe(value))),
    }
}

fn integer(verb: &Verb, n: f64) -> Result<String, String> {
    if n.fract() != 0.0 || !n.is_finite() || n.abs() > 9.0e15 {
        return Err("a whole number is required".to_owned());
    }
    let magnitude = (n as i64).unsigned_abs();
    let (digits, prefix) = match verb.letter {
        'b' => (format!("{magnitude:b}"), "0b"),
        'o' => (format!("{magnitude:o}"), "0"),
        'x' => (format!("{magnitude:x}"), "0x"),
        'X' => (format!("{magnitude:X}"), "0X"),
        _ => (magnitude.to_string(), ""),
    };
    let digits = match verb.precision {
        Some(min) if digits.len() < min => format!("{}{digits}", "0".repeat(min - digits.len())),
        _ => digits,
    };
    let digits = if verb.sharp { format!("{prefix}{digits}") } else { digits };
    Ok(signed(verb, n < 0.0, digits))
}

fn float(verb: &Verb, n: f64) -> String {
    let magnitude = n.abs();
    let digits = match verb.letter {
        'e' | 'E' => exponent(magnitude, verb.precision.unwrap_or(6)),
        'g' | 'G' => general(magnitude, verb.precision),
        _ => format!("{magnitude:.*}", verb.precision.unwrap_or(6)),
    };
    let digits = if verb.letter.is_ascii_uppercase() { digits.to_uppercase() } else { digits };
    signed(verb, n.is_sign_negative() && n != 0.0, digits)
}

/// Go's `%e`: `1.234560e+03`.
fn exponent(magnitude: f64, precision: usize) -> String {
    go_exponent(&format!("{magnitude:.precision$e}"))
}

/// Rewrites Rust's `1.5e3` exponent as Go's `1.5e+03`.
fn go_exponent(rust: &str) -> String {
    let (mantissa, exp) = rust.split_once('e').unwrap_or((rust, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// Go's `%g`: exponent form for large and small exponents, trailing zeros dropped.
fn general(magnitude: f64, precision: Option<usize>) -> String {
    let significant = precision.map(|p| p.max(1));
    let scientific = match significant {
        Some(p) => format!("{magnitude:.*e}", p - 1),
        None => format!("{magnitude:e}"),
    };
    let exp: i32 = scientific.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    // Go decides with precision 6 when printing the shortest form.
    let limit = significant.map_or(6, |p| p as i32);
    if exp < -4 || exp >= limit {
        let (mantissa, rest) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        return go_exponent(&format!("{}e{rest}", trim_zeros(mantissa)));
    }
    match significant {
        Some(p) => trim_zeros(&format!("{magnitude:.*}", (p as i32 - 1 - exp).max(0) as usize)).to_owned(),
        None => format!("{magnitude}"),
    }
}

fn trim_zeros(text: &str) -> &str {
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { text }
}

/// Adds the sign (or `+`/space when asked) and pads, with zeros after the sign for `0`.
fn signed(verb: &Verb, negative: bool, digits: String) -> String {
    let sign = match (negative, verb.plus, verb.space) {
        (true, _, _) => "-",
        (false, true, _) => "+",
        (false, false, true) => " ",
        _ => "",
    };
    if verb.zero && !verb.minus {
        let width = verb.width.unwrap_or(0);
        let zeros = width.saturating_sub(sign.len() + digits.chars().count());
        return format!("{sign}{}{digits}", "0".repeat(zeros));
    }
    pad(verb, format!("{sign}{digits}"))
}

/// Pads to the width with spaces, on the left unless `-` was given.
fn pad(verb: &Verb, text: String) -> String {
    let width = verb.width.unwrap_or(0);
    let length = text.chars().count();
    if length >= width {
        return text;
    }
    let spaces = " ".repeat(width - length);
    if verb.minus { text + &spaces } else { spaces + &text }
}
