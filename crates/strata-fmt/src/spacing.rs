//! Spacing between the tokens of a line, by the pairwise rules `terraform fmt`
//! (hclwrite) applies: `a = b`, `f(x, y)`, `{ a = 1 }`, `[1, 2]`, `a.b[0]`, `-x`.

use crate::lines::Line;
use crate::token::{Token, TokenKind};

/// Sets the spaces between tokens within the `lead` and `assign` cells.
/// Indentation and alignment are set by their own passes.
pub(crate) fn apply(tokens: &mut [Token], lines: &[Line]) {
    for line in lines {
        space_cell(tokens, line.lead.start, line.lead.end);
        if let Some(assign) = &line.assign {
            // One space between what is assigned and `=`; alignment may widen it.
            tokens[assign.start].spaces_before = 1;
            space_cell(tokens, assign.start, assign.end);
        }
    }
}

fn space_cell(tokens: &mut [Token], start: usize, end: usize) {
    for index in start..end.saturating_sub(1) {
        let before = (index > start).then(|| &tokens[index - 1]);
        let spaced =
            space_after(&tokens[index], before, &tokens[index + 1]) || would_glue(&tokens[index], &tokens[index + 1]);
        tokens[index + 1].spaces_before = usize::from(spaced);
    }
}

/// Whether one space goes between `subject` and `after`; `before` precedes `subject`.
fn space_after(subject: &Token, before: Option<&Token>, after: &Token) -> bool {
    use TokenKind as K;
    let (s, a) = (subject.kind, after.kind);
    let is_template_text = |kind| matches!(kind, K::QuotedLit | K::StringLit);
    match () {
        _ if a == K::Newline => false,
        // Function calls, including provider-namespaced ones: `provider::aws::arn_parse(x)`.
        _ if s == K::Ident && a == K::OParen => false,
        _ if (s == K::Ident && a == K::DoubleColon) || (s == K::DoubleColon && a == K::Ident) => false,
        _ if s == K::Dot || a == K::Dot => false,
        _ if a == K::Comma || a == K::Ellipsis => false,
        _ if s == K::Comma => true,
        // Inside templates, the text is the value: never add or remove spaces there.
        _ if is_template_text(s) || is_template_text(a) || matches!(s, K::OQuote | K::OHeredoc) => false,
        _ if matches!(a, K::CQuote | K::CHeredoc) => false,
        // `for x in [a, b]`: `in` is a keyword here, not a value being indexed.
        _ if s == K::Ident && subject.text == "in" && before.is_some_and(|token| token.kind == K::Ident) => true,
        _ if a == K::OBrack && (matches!(s, K::Ident | K::Number) || subject.bracket_change() < 0) => false,
        _ if s == K::Minus => !minus_is_negation(before),
        _ if s == K::Bang => false,
        // Braces are padded, `{ a = 1 }`, except when empty: `{}`.
        _ if s == K::OBrace || a == K::CBrace => !(s == K::OBrace && a == K::CBrace),
        // `${ {a = 1} }`: keep an object inside a template sequence visible.
        _ if matches!(s, K::TemplateInterp | K::TemplateControl) && a == K::OBrace => true,
        _ if s == K::CBrace && a == K::TemplateSeqEnd => true,
        _ if s == K::TemplateSeqEnd && matches!(a, K::TemplateInterp | K::TemplateControl) => false,
        _ if subject.bracket_change() > 0 => false,
        _ if after.bracket_change() < 0 => false,
        _ => true,
    }
}

/// Whether writing `subject` and `after` with nothing between would lex as a different
/// token: `!` then `==` must not become `!==` (`!=` `=`), nor `/` then `*` a comment.
fn would_glue(subject: &Token, after: &Token) -> bool {
    use TokenKind as K;
    let operator = |kind| {
        matches!(kind, K::Bang | K::Equal | K::Comparison | K::Logical | K::FatArrow | K::Slash | K::Star | K::Colon)
    };
    if !operator(subject.kind) || !operator(after.kind) {
        return false;
    }
    let (Some(last), Some(first)) = (subject.text.chars().last(), after.text.chars().next()) else {
        return false;
    };
    matches!(
        (last, first),
        ('!' | '=' | '<' | '>', '=') | ('=', '>') | ('<', '<') | ('/', '*' | '/') | ('*', '/') | (':', ':')
    )
}

/// A minus is a negation, not a subtraction, when what precedes it cannot
/// end an operand: the start of a line, a bracket, a separator or an operator.
fn minus_is_negation(before: Option<&Token>) -> bool {
    use TokenKind as K;
    match before {
        None => true,
        Some(token) => matches!(
            token.kind,
            K::OParen
                | K::OBrace
                | K::OBrack
                | K::Equal
                | K::Colon
                | K::Comma
                | K::Question
                | K::Plus
                | K::Minus
                | K::Star
                | K::Slash
                | K::Percent
                | K::Comparison
                | K::Logical
                | K::Bang
        ),
    }
}
