//! Invalid input is reported with its position, never rewritten.

use strata_fmt::{FormatError, format_source};

fn check(source: &str, line: usize, column: usize) {
    match format_source(source) {
        Err(FormatError::Parse { line: actual_line, column: actual_column, message }) => {
            assert_eq!((actual_line, actual_column), (line, column), "message: {message}");
            assert!(!message.is_empty());
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

/// Valid input the token passes cannot lay out (an identifier ending in a combining mark,
/// which hcl-edit accepts and our lexer splits) is refused rather than turned into text that
/// no longer parses.
#[test]
fn unsupported_constructs_are_refused_not_broken() {
    let source = "s = v\u{5a3}\n";
    assert!(hcl::edit::parser::parse_body(source).is_ok());
    assert!(matches!(format_source(source), Err(FormatError::Unsupported { .. })));
}

#[test]
fn doubled_equals_points_at_the_second() {
    check("resource \"a\" {\n  x = 1\n  y = = 2\n}\n", 3, 7);
}

#[test]
fn two_values_point_at_the_second() {
    check("a = 1\nb = 2 3\n", 2, 7);
}

#[test]
fn missing_value_points_at_the_gap() {
    check("a = 1\nb = \n", 2, 5);
}

#[test]
fn stray_token_points_at_it() {
    check("a = 1\nblock {\n  x = 1 }\n", 3, 9);
}

#[test]
fn error_message_names_the_position() {
    let error = format_source("a = \n").expect_err("invalid input");
    assert!(error.to_string().starts_with("syntax error at line 1, column 5"), "{error}");
}

/// A `"` inside a template directive's body is text to hcl-edit; it stays text.
#[test]
fn quotes_inside_template_directives_are_kept() {
    let source = "g = \"%{if a}\"! ==\"%{endif}\"\n";
    assert!(hcl::edit::parser::parse_body(source).is_ok());
    assert_eq!(format_source(source).unwrap(), source);
}
