//! Where something is written in a catalog file, for diagnostics that name a line and column.
//!
//! The loader reads files with serde, which keeps no positions; only when a diagnostic needs
//! one is the file parsed again with `hcl::edit`, and the path to the offending place walked.

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::Body;

/// One step from a body towards the place a diagnostic points at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    /// An attribute of the current body (the place is its value).
    Attribute(&'a str),
    /// A block `IDENT "LABEL"` of the current body (the place is its label).
    Block(&'a str, &'a str),
    /// In the current attribute's value: an object's key or an array's string element.
    Item(&'a str),
}

/// 1-based line and column (in characters) of the place `path` leads to; as far as the path
/// could be followed, and 1:1 when the file does not parse.
pub(crate) fn locate(text: &str, path: &[Step<'_>]) -> (usize, usize) {
    let Ok(body) = hcl::edit::parser::parse_body(text) else {
        return (1, 1);
    };
    let offset = walk(&body, path).unwrap_or(0);
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The byte offset of the deepest place of `path` that exists.
fn walk(body: &Body, path: &[Step<'_>]) -> Option<usize> {
    let mut body = body;
    let mut value: Option<&Expression> = None;
    let mut found = None;
    for step in path {
        match *step {
            Step::Attribute(key) => {
                let Some(attribute) = body.get_attribute(key) else { return found };
                found = attribute.value.span().map(|span| span.start).or(found);
                value = Some(&attribute.value);
            }
            Step::Block(ident, label) => {
                let block = body
                    .get_blocks(ident)
                    .find(|block| block.labels.first().is_some_and(|first| first.as_str() == label));
                let Some(block) = block else { return found };
                found = block.labels.first().and_then(Span::span).map(|span| span.start).or(found);
                body = &block.body;
            }
            Step::Item(item) => {
                let span = match value {
                    Some(Expression::Object(object)) => {
                        object.iter().find(|(key, _)| key_text(key) == Some(item)).and_then(|(key, _)| key.span())
                    }
                    Some(Expression::Array(array)) => array
                        .iter()
                        .find(|element| matches!(element, Expression::String(text) if text.as_str() == item))
                        .and_then(Span::span),
                    _ => None,
                };
                return span.map(|span| span.start).or(found);
            }
        }
    }
    found
}

fn key_text(key: &ObjectKey) -> Option<&str> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str()),
        ObjectKey::Expression(Expression::String(text)) => Some(text.as_str()),
        ObjectKey::Expression(_) => None,
    }
}
