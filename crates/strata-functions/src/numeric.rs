//! Numeric functions: `abs`, `ceil`, `floor`, `log`, `pow`, `signum`, `min`, `max`, `sum`,
//! `parseint`.

use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;

fn unary(args: &Args, op: fn(f64) -> f64) -> Result<Value, FunctionError> {
    Ok(Value::Number(op(args.number(0)?)))
}

pub(crate) fn abs(args: &Args) -> Result<Value, FunctionError> {
    unary(args, f64::abs)
}

pub(crate) fn ceil(args: &Args) -> Result<Value, FunctionError> {
    unary(args, f64::ceil)
}

pub(crate) fn floor(args: &Args) -> Result<Value, FunctionError> {
    unary(args, f64::floor)
}

pub(crate) fn signum(args: &Args) -> Result<Value, FunctionError> {
    unary(args, |n| if n == 0.0 { 0.0 } else { n.signum() })
}

pub(crate) fn log(args: &Args) -> Result<Value, FunctionError> {
    let (number, base) = (args.number(0)?, args.number(1)?);
    if number <= 0.0 {
        return Err(args.invalid(0, "the logarithm is defined for positive numbers only"));
    }
    if base <= 0.0 || base == 1.0 {
        return Err(args.invalid(1, "the base must be positive and not 1"));
    }
    Ok(Value::Number(number.ln() / base.ln()))
}

pub(crate) fn pow(args: &Args) -> Result<Value, FunctionError> {
    let result = args.number(0)?.powf(args.number(1)?);
    if !result.is_finite() {
        return Err(args.failed("the result is not a finite number"));
    }
    Ok(Value::Number(result))
}

fn numbers(args: &Args) -> Result<Vec<f64>, FunctionError> {
    (0..args.len()).map(|index| args.number(index)).collect()
}

pub(crate) fn min(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::Number(numbers(args)?.into_iter().fold(f64::INFINITY, f64::min)))
}

pub(crate) fn max(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::Number(numbers(args)?.into_iter().fold(f64::NEG_INFINITY, f64::max)))
}

pub(crate) fn sum(args: &Args) -> Result<Value, FunctionError> {
    let numbers = args.numbers(0)?;
    if numbers.is_empty() {
        return Err(args.invalid(0, "cannot sum an empty list"));
    }
    Ok(Value::Number(numbers.into_iter().sum()))
}

/// Digits 0-9 then a-z (either case up to base 36), then A-Z for bases 37 to 62.
fn digit_value(c: char, base: u32) -> Option<u32> {
    let value = match c {
        '0'..='9' => c as u32 - '0' as u32,
        'a'..='z' => c as u32 - 'a' as u32 + 10,
        'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
        'A'..='Z' => c as u32 - 'A' as u32 + 36,
        _ => return None,
    };
    (value < base).then_some(value)
}

/// `parseint("ff", 16)` is 255; a leading `-` or `+` is allowed.
pub(crate) fn parseint(args: &Args) -> Result<Value, FunctionError> {
    let text = args.string(0)?;
    let base = args.integer(1)?;
    if !(2..=62).contains(&base) {
        return Err(args.invalid(1, format!("the base must be from 2 to 62, but is {base}")));
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let not_a_number = || args.invalid(0, format!("cannot parse {} as a base {base} integer", args.quote(0, &text)));
    if digits.is_empty() {
        return Err(not_a_number());
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        let digit = digit_value(c, base as u32).ok_or_else(not_a_number)?;
        value = value
            .checked_mul(i128::from(base))
            .and_then(|v| v.checked_add(i128::from(digit)))
            .ok_or_else(not_a_number)?;
    }
    Ok(Value::Number(if negative { -(value as f64) } else { value as f64 }))
}
