//! Invalid input is reported with its position, never rewritten.

use strata_fmt::{FormatError, format_source};

fn check(source: &str, line: usize, column: usize) {
    match format_source(source) {
        Err(FormatError::Parse { line: actual_line, column: actual_column, message }) => {
            assert_eq!((actual_line, actual_column), (line, column), "message: {message}");
            assert!(!message.is_empty());
        }
        Ok(output) => panic!("expected a parse error, got output {output:?}"),
    }
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
