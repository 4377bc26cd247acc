//! Splits HCL source into [`Token`]s, the way HCL's own scanner does for the
//! distinctions layout needs: brackets, template sequences, heredocs, comments.
//!
//! The input has already been accepted by hcl-edit's parser, so the lexer can
//! be forgiving: it never fails, and anything unexpected becomes
//! [`TokenKind::Other`] and is printed back unchanged.

use std::collections::HashSet;

use crate::token::{Token, TokenKind};

/// What the lexer is inside of; templates and braces nest arbitrarily.
#[derive(Debug)]
enum Mode {
    /// An object or block body opened with `{`.
    Brace,
    /// An interpolation `${` or directive `%{`; its `}` is a template sequence end.
    Interp,
    /// A quoted template `"..."`; `directives` counts the `%{if}`/`%{for}` directives open
    /// in it. hcl-edit reads a `"` inside such a directive's body as text, not as the end
    /// of the string, so the lexer must too.
    Quoted { directives: usize },
    /// A heredoc body, ended by a line holding only `marker`.
    Heredoc { marker: String, at_line_start: bool },
}

/// Tokenizes `source`. Identifiers starting at a byte offset in `bare_labels`
/// are block labels written without quotes; they come out quoted, as
/// `terraform fmt` writes them.
pub(crate) fn lex(source: &str, bare_labels: &HashSet<usize>) -> Vec<Token> {
    let mut lexer = Lexer { source, position: 0, modes: Vec::new(), tokens: Vec::new(), bare_labels };
    while lexer.position < source.len() {
        match lexer.modes.last() {
            Some(Mode::Quoted { .. }) => lexer.quoted_part(),
            Some(Mode::Heredoc { .. }) => lexer.heredoc_part(),
            _ => lexer.expression_token(),
        }
    }
    lexer.tokens
}

struct Lexer<'a> {
    source: &'a str,
    position: usize,
    modes: Vec<Mode>,
    tokens: Vec<Token>,
    bare_labels: &'a HashSet<usize>,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.source[self.position..]
    }

    fn push(&mut self, kind: TokenKind, length: usize) {
        let text = &self.source[self.position..self.position + length];
        self.tokens.push(Token::new(kind, text));
        self.position += length;
    }

    /// Opens an interpolation or directive if the input is at one.
    fn template_open(&mut self) -> bool {
        let rest = self.rest();
        let (kind, length) = if rest.starts_with("${~") {
            (TokenKind::TemplateInterp, 3)
        } else if rest.starts_with("${") {
            (TokenKind::TemplateInterp, 2)
        } else if rest.starts_with("%{~") {
            (TokenKind::TemplateControl, 3)
        } else if rest.starts_with("%{") {
            (TokenKind::TemplateControl, 2)
        } else {
            return false;
        };
        if kind == TokenKind::TemplateControl {
            // hcl-edit takes the keyword as a prefix (`%{ifr}` is `%{if r}`), so match prefixes.
            let body = rest[length..].trim_start();
            if let Some(Mode::Quoted { directives }) = self.modes.last_mut() {
                if body.starts_with("endif") || body.starts_with("endfor") {
                    *directives = directives.saturating_sub(1);
                } else if body.starts_with("if") || body.starts_with("for") {
                    *directives += 1;
                }
            }
        }
        self.push(kind, length);
        self.modes.push(Mode::Interp);
        true
    }

    /// Length of template literal text before the next sequence, `"` (when
    /// `quoted`) or, for heredocs, through the next newline. A quoted literal
    /// may hold a raw newline (hcl-edit accepts one after a directive, as in
    /// `"%{if v}\n%{endif}"`); it stays literal text, byte for byte, because
    /// spacing rules applied to it would change the string.
    fn literal_length(&self, quoted: bool) -> usize {
        let in_directive = matches!(self.modes.last(), Some(Mode::Quoted { directives }) if *directives > 0);
        let rest = self.rest();
        let mut index = 0;
        while index < rest.len() {
            let tail = &rest[index..];
            if tail.starts_with("$${") || tail.starts_with("%%{") {
                index += 3;
            } else if tail.starts_with("${") || tail.starts_with("%{") {
                break;
            } else if quoted && tail.starts_with('\\') {
                index += 1 + tail[1..].chars().next().map_or(0, char::len_utf8);
            } else if quoted && tail.starts_with('"') && !in_directive {
                break;
            } else if tail.starts_with('\n') {
                index += 1;
                break;
            } else {
                index += tail.chars().next().map_or(1, char::len_utf8);
            }
        }
        index
    }

    fn quoted_part(&mut self) {
        let in_directive = matches!(self.modes.last(), Some(Mode::Quoted { directives }) if *directives > 0);
        if self.rest().starts_with('"') && !in_directive {
            self.push(TokenKind::CQuote, 1);
            self.modes.pop();
        } else if !self.template_open() {
            match self.literal_length(true) {
                // Nothing to take (e.g. at the end of the input); leave the mode
                // rather than loop, so odd input is still printed back.
                0 => {
                    self.modes.pop();
                }
                length => self.push(TokenKind::QuotedLit, length),
            }
        }
    }

    fn heredoc_part(&mut self) {
        let rest = &self.source[self.position..];
        let Some(Mode::Heredoc { marker, at_line_start }) = self.modes.last_mut() else { return };
        if *at_line_start {
            let line = rest.split('\n').next().unwrap_or_default();
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim_start_matches([' ', '\t']) == marker.as_str() {
                let length = line.len();
                self.modes.pop();
                self.push(TokenKind::CHeredoc, length);
                return;
            }
            *at_line_start = false;
        }
        if self.template_open() {
            return;
        }
        let length = self.literal_length(false);
        let ends_line = self.rest()[..length].ends_with('\n');
        self.push(TokenKind::StringLit, length);
        if let Some(Mode::Heredoc { at_line_start, .. }) = self.modes.last_mut() {
            *at_line_start = ends_line;
        }
    }

    fn expression_token(&mut self) {
        let rest = self.rest();
        let Some(first) = rest.chars().next() else { return };
        let second = rest[first.len_utf8()..].chars().next();
        match (first, second) {
            ('\r', Some('\n')) => self.push(TokenKind::Newline, 2),
            ('\n', _) => self.push(TokenKind::Newline, 1),
            (c, _) if c.is_whitespace() => self.position += c.len_utf8(),
            ('#', _) | ('/', Some('/')) => {
                let length = rest.find('\n').map_or(rest.len(), |index| index + 1);
                self.push(TokenKind::Comment, length);
            }
            ('/', Some('*')) => {
                let length = rest[2..].find("*/").map_or(rest.len(), |index| index + 4);
                self.push(TokenKind::Comment, length);
            }
            ('"', _) => {
                self.push(TokenKind::OQuote, 1);
                self.modes.push(Mode::Quoted { directives: 0 });
            }
            ('<', Some('<')) if self.heredoc_open() => {}
            ('{', _) => {
                self.push(TokenKind::OBrace, 1);
                self.modes.push(Mode::Brace);
            }
            ('}', _) => self.close_brace(1),
            ('~', Some('}')) if matches!(self.modes.last(), Some(Mode::Interp)) => self.close_brace(2),
            ('[', _) => self.push(TokenKind::OBrack, 1),
            (']', _) => self.push(TokenKind::CBrack, 1),
            ('(', _) => self.push(TokenKind::OParen, 1),
            (')', _) => self.push(TokenKind::CParen, 1),
            (',', _) => self.push(TokenKind::Comma, 1),
            ('?', _) => self.push(TokenKind::Question, 1),
            ('+', _) => self.push(TokenKind::Plus, 1),
            ('-', _) => self.push(TokenKind::Minus, 1),
            ('*', _) => self.push(TokenKind::Star, 1),
            ('/', _) => self.push(TokenKind::Slash, 1),
            ('%', _) => self.push(TokenKind::Percent, 1),
            (':', Some(':')) => self.push(TokenKind::DoubleColon, 2),
            (':', _) => self.push(TokenKind::Colon, 1),
            ('.', _) if rest.starts_with("...") => self.push(TokenKind::Ellipsis, 3),
            ('.', _) => self.push(TokenKind::Dot, 1),
            ('=', Some('=')) | ('!', Some('=')) | ('<', Some('=')) | ('>', Some('=')) => {
                self.push(TokenKind::Comparison, 2)
            }
            ('=', Some('>')) => self.push(TokenKind::FatArrow, 2),
            ('=', _) => self.push(TokenKind::Equal, 1),
            ('!', _) => self.push(TokenKind::Bang, 1),
            ('<', _) | ('>', _) => self.push(TokenKind::Comparison, 1),
            ('&', Some('&')) | ('|', Some('|')) => self.push(TokenKind::Logical, 2),
            (c, _) if c.is_ascii_digit() => {
                let length = number_length(rest);
                self.push(TokenKind::Number, length);
            }
            (c, _) if c.is_alphabetic() || c == '_' => self.identifier(),
            (c, _) => self.push(TokenKind::Other, c.len_utf8()),
        }
    }

    /// `}` ends whatever was opened last: an object or body, or a template sequence.
    fn close_brace(&mut self, length: usize) {
        let kind = match self.modes.pop() {
            Some(Mode::Interp) => TokenKind::TemplateSeqEnd,
            _ => TokenKind::CBrace,
        };
        self.push(kind, length);
    }

    /// Recognizes `<<MARKER` or `<<-MARKER` followed by a newline.
    fn heredoc_open(&mut self) -> bool {
        let rest = self.rest();
        let after_arrows = rest[2..].strip_prefix('-').unwrap_or(&rest[2..]);
        let marker_length = identifier_length(after_arrows);
        if marker_length == 0 {
            return false;
        }
        let marker = &after_arrows[..marker_length];
        let after_marker = &after_arrows[marker_length..];
        let newline_length = if after_marker.starts_with("\r\n") {
            2
        } else if after_marker.starts_with('\n') {
            1
        } else {
            return false;
        };
        let marker = marker.to_owned();
        let length = rest.len() - after_marker.len() + newline_length;
        self.push(TokenKind::OHeredoc, length);
        self.modes.push(Mode::Heredoc { marker, at_line_start: true });
        true
    }

    fn identifier(&mut self) {
        let start = self.position;
        let length = identifier_length(self.rest());
        if self.bare_labels.contains(&start) {
            let name = &self.source[start..start + length];
            self.tokens.push(Token::new(TokenKind::OQuote, "\""));
            self.tokens.push(Token::new(TokenKind::QuotedLit, name));
            self.tokens.push(Token::new(TokenKind::CQuote, "\""));
            self.position += length;
        } else {
            self.push(TokenKind::Ident, length);
        }
    }
}

/// HCL identifiers: a letter or `_`, then letters, digits, `_` and `-`.
fn identifier_length(text: &str) -> usize {
    let mut chars = text.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_alphabetic() || c == '_' => {}
        _ => return 0,
    }
    chars.find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-')).map_or(text.len(), |(index, _)| index)
}

/// Digits, an optional fraction and an optional exponent.
fn number_length(text: &str) -> usize {
    let bytes = text.as_bytes();
    let digits_from = |start: usize| start + bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut end = digits_from(0);
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits_from(end + 1);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        if bytes.get(end + 1 + sign).is_some_and(u8::is_ascii_digit) {
            end = digits_from(end + 1 + sign);
        }
    }
    end
}
