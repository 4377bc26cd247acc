//! Whole-file edge cases the golden files cannot show well: empty input and
//! the final newline.

use strata_fmt::format_source;

fn check(input: &str, expected: &str) {
    assert_eq!(format_source(input).expect("valid HCL"), expected, "input: {input:?}");
}

#[test]
fn empty_file_stays_empty() {
    check("", "");
    check("\n\n  \n", "");
}

#[test]
fn missing_final_newline_is_added() {
    check("a = 1", "a = 1\n");
}

#[test]
fn trailing_blank_lines_are_dropped() {
    check("a = 1\n\n\n", "a = 1\n");
}

#[test]
fn crlf_files_get_a_crlf_final_newline() {
    check("a = 1\r\nbb = 2", "a  = 1\r\nbb = 2\r\n");
}

#[test]
fn heredoc_at_end_of_file_is_closed_by_a_newline() {
    check("a = <<EOT\n  text  \nEOT", "a = <<EOT\n  text  \nEOT\n");
}
