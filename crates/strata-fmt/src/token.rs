//! Tokens of the formatter: the source split into lexemes, each carrying the
//! number of spaces to print before it.
//!
//! Formatting only ever changes `spaces_before` (plus quoting bare block
//! labels and trimming comment whitespace), so the token text is the source text.

/// The lexical class of a token; only the distinctions the layout rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    OBrace,
    CBrace,
    OBrack,
    CBrack,
    OParen,
    CParen,
    /// `"` opening a quoted template.
    OQuote,
    /// `"` closing a quoted template.
    CQuote,
    /// Literal text inside a quoted template.
    QuotedLit,
    /// `<<EOT` or `<<-EOT`, including the newline that ends it.
    OHeredoc,
    /// Literal text inside a heredoc, up to and including a newline.
    StringLit,
    /// The heredoc's closing marker, with the indentation before it.
    CHeredoc,
    /// `${` or `${~`.
    TemplateInterp,
    /// `%{` or `%{~`.
    TemplateControl,
    /// `}` or `~}` closing an interpolation or directive.
    TemplateSeqEnd,
    Ident,
    Number,
    Equal,
    Comma,
    Dot,
    Ellipsis,
    Colon,
    DoubleColon,
    Question,
    FatArrow,
    Minus,
    Plus,
    Star,
    Slash,
    Percent,
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
    Comparison,
    /// `&&`, `||`.
    Logical,
    Bang,
    /// `# ...` and `// ...` (which own their newline) and `/* ... */`.
    Comment,
    Newline,
    /// Anything else; the parser has already accepted the input, so this is rare.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) text: String,
    pub(crate) spaces_before: usize,
}

impl Token {
    pub(crate) fn new(kind: TokenKind, text: impl Into<String>) -> Self {
        Token { kind, text: text.into(), spaces_before: 0 }
    }

    /// How this token changes the bracket nesting depth, which drives indentation.
    pub(crate) fn bracket_change(&self) -> i32 {
        match self.kind {
            TokenKind::OBrace
            | TokenKind::OBrack
            | TokenKind::OParen
            | TokenKind::TemplateInterp
            | TokenKind::TemplateControl => 1,
            TokenKind::CBrace | TokenKind::CBrack | TokenKind::CParen | TokenKind::TemplateSeqEnd => -1,
            _ => 0,
        }
    }

    /// A line comment owns its newline, so it ends a line just like a newline token.
    pub(crate) fn ends_line(&self) -> bool {
        match self.kind {
            TokenKind::Newline => true,
            TokenKind::Comment => self.text.ends_with('\n'),
            _ => false,
        }
    }

    /// Width on screen, counted in characters as editors align them.
    pub(crate) fn columns(&self) -> usize {
        self.spaces_before + self.text.chars().count()
    }
}

/// Width of a run of tokens on screen, from the start of the line the run ends on: a
/// multi-line token (a block comment) restarts the count after its last newline, so the
/// width does not depend on text on earlier lines (which later passes may still trim).
pub(crate) fn columns(tokens: &[Token]) -> usize {
    let mut width = 0;
    for token in tokens {
        match token.text.rfind('\n') {
            Some(last) => width = token.text[last + 1..].chars().count(),
            None => width += token.columns(),
        }
    }
    width
}
