//! `format` and `formatlist`: printf-style formatting with the verbs of Terraform's `format`
//! (`%v %#v %s %q %t %d %b %o %x %X %e %E %f %g %G %%`), flags (`- + # 0` and space), width,
//! precision and explicit argument indexes (`%[2]s`). Rendering one verb is in `verbs.rs`.

use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;
use crate::verbs::{self, Verb};

enum Piece {
    Literal(String),
    /// A verb, the (0-based) argument it formats and its byte offset in the spec.
    Verb {
        verb: Verb,
        argument: usize,
        offset: usize,
    },
}

/// Splits a spec into literal text and verbs; the message says what is wrong and where.
fn parse(spec: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut next_argument = 0;
    let mut chars = spec.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        if chars.next_if(|&(_, c)| c == '%').is_some() {
            literal.push('%');
            continue;
        }
        let mut verb = Verb::default();
        while let Some((_, flag)) = chars.next_if(|&(_, c)| matches!(c, '-' | '+' | '#' | ' ' | '0')) {
            match flag {
                '-' => verb.minus = true,
                '+' => verb.plus = true,
                '#' => verb.sharp = true,
                ' ' => verb.space = true,
                _ => verb.zero = true,
            }
        }
        if chars.next_if(|&(_, c)| c == '[').is_some() {
            let index = digits(&mut chars);
            match (index, chars.next()) {
                (Some(n), Some((_, ']'))) if n >= 1 => next_argument = n - 1,
                _ => return Err(format!("invalid argument index in the verb at offset {offset}")),
            }
        }
        verb.width = digits(&mut chars);
        if chars.next_if(|&(_, c)| c == '.').is_some() {
            verb.precision = Some(digits(&mut chars).unwrap_or(0));
        }
        match chars.next() {
            Some((_, letter)) if verbs::LETTERS.contains(letter) => verb.letter = letter,
            Some((_, letter)) => return Err(format!("unsupported format verb %{letter} at offset {offset}")),
            None => return Err(format!("unterminated format verb at offset {offset}")),
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Verb { verb, argument: next_argument, offset });
        next_argument += 1;
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

fn digits(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> Option<usize> {
    let mut number: Option<usize> = None;
    while let Some((_, c)) = chars.next_if(|&(_, c)| c.is_ascii_digit()) {
        number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(c as usize - '0' as usize));
    }
    number
}

/// Renders parsed pieces with `values`, checking every value is used.
fn render(pieces: &[Piece], values: &[&Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut used = 0;
    for piece in pieces {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Verb { verb, argument, offset } => {
                let value = values.get(*argument).ok_or_else(|| {
                    let given = match values.len() {
                        0 => "none were given".to_owned(),
                        1 => "only 1 was given".to_owned(),
                        count => format!("only {count} were given"),
                    };
                    format!("the verb %{} at offset {offset} needs argument {}, but {given}", verb.letter, argument + 1)
                })?;
                let text = verbs::render(verb, value).map_err(|message| {
                    format!("unsupported value for %{} at offset {offset}: {message}", verb.letter)
                })?;
                out.push_str(&text);
                used = used.max(argument + 1);
            }
        }
    }
    if used < values.len() {
        return Err(format!("too many arguments: the format string uses {used}, but {} were given", values.len()));
    }
    Ok(out)
}

pub(crate) fn format(args: &Args) -> Result<Value, FunctionError> {
    let pieces = parse(&args.string(0)?).map_err(|message| args.invalid(0, message))?;
    let values: Vec<&Value> = args.values[1..].iter().collect();
    render(&pieces, &values).map(Value::String).map_err(|message| args.failed(message))
}

/// Formats once per element of the list arguments (which must have one length); other
/// arguments are repeated for every element.
pub(crate) fn formatlist(args: &Args) -> Result<Value, FunctionError> {
    let pieces = parse(&args.string(0)?).map_err(|message| args.invalid(0, message))?;
    let mut length: Option<usize> = None;
    for index in 1..args.len() {
        if let Some(items) = args.value(index).as_sequence() {
            match length {
                Some(expected) if expected != items.len() => {
                    let message =
                        format!("all lists must have the same length ({expected}), but this one has {}", items.len());
                    return Err(args.invalid(index, message));
                }
                _ => length = Some(items.len()),
            }
        }
    }
    let mut out = Vec::new();
    for position in 0..length.unwrap_or(1) {
        let values: Vec<&Value> =
            args.values[1..].iter().map(|value| value.as_sequence().map_or(value, |items| &items[position])).collect();
        let text = render(&pieces, &values).map_err(|message| args.failed(message))?;
        out.push(Value::String(text));
    }
    Ok(Value::List(out))
}
