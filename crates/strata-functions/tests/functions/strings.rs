//! String functions and regular expressions.

use strata_value::Value;

use crate::{Case, b, check_all, list, map, n, s, strs};

#[test]
fn strings() {
    let cases: Vec<Case> = vec![
        ("join", vec![s(", "), strs(&["a", "b", "c"])], Ok(s("a, b, c"))),
        ("join", vec![s(","), list([])], Ok(s(""))),
        ("join", vec![s(","), list([n(1), b(true)])], Ok(s("1,true"))),
        (
            "join",
            vec![strs(&["a"]), strs(&["b"])],
            Err("Invalid value for \"separator\": a string is required, but have a list."),
        ),
        (
            "join",
            vec![s(","), list([s("a"), Value::Null])],
            Err("Invalid value for \"list\": element 1 must not be null."),
        ),
        ("join", vec![s(","), s("a")], Err("Invalid value for \"list\": a list is required, but have a string.")),
        ("join", vec![Value::Null, strs(&["a"])], Err("Invalid value for \"separator\": argument must not be null.")),
        ("split", vec![s(","), s("a,,b")], Ok(strs(&["a", "", "b"]))),
        ("split", vec![s(","), s("")], Ok(strs(&[""]))),
        ("split", vec![s(""), s("ab")], Ok(strs(&["a", "b"]))),
        ("split", vec![s(","), list([])], Err("Invalid value for \"string\": a string is required, but have a list.")),
        ("upper", vec![s("héllo")], Ok(s("HÉLLO"))),
        ("lower", vec![n(1)], Ok(s("1"))),
        ("upper", vec![map([])], Err("Invalid value for \"string\": a string is required, but have a map.")),
        ("title", vec![s("hello wORLD-wide web_site")], Ok(s("Hello WORLD-Wide Web_site"))),
        ("trimspace", vec![s("\t a b \r\n")], Ok(s("a b"))),
        ("trim", vec![s("  x  "), s(" ")], Ok(s("x"))),
        ("trimprefix", vec![s("hello"), s("x")], Ok(s("hello"))),
        ("trimsuffix", vec![s("hello"), s("lo")], Ok(s("hel"))),
        ("chomp", vec![s("a\r\nb\r\n")], Ok(s("a\r\nb"))),
        ("chomp", vec![s("a\n ")], Ok(s("a\n "))),
        ("indent", vec![n(2), s("a\nb\n")], Ok(s("a\n  b\n  "))),
        (
            "indent",
            vec![n(-1), s("a")],
            Err("Invalid value for \"spaces\": the number of spaces must not be negative."),
        ),
        ("strrev", vec![s("héllo")], Ok(s("olléh"))),
        ("startswith", vec![s("hello"), s("x")], Ok(b(false))),
        ("endswith", vec![s("hello"), s("")], Ok(b(true))),
        (
            "startswith",
            vec![s("a"), list([])],
            Err("Invalid value for \"prefix\": a string is required, but have a list."),
        ),
        ("substr", vec![s("hello world"), n(1), n(4)], Ok(s("ello"))),
        ("substr", vec![s("hello world"), n(-5), n(-1)], Ok(s("world"))),
        ("substr", vec![s("hello"), n(2), n(100)], Ok(s("llo"))),
        ("substr", vec![s("hello"), n(10), n(2)], Ok(s(""))),
        ("substr", vec![s("héllo"), n(1), n(1)], Ok(s("é"))),
        (
            "substr",
            vec![s("hello"), n(0.5), n(1)],
            Err("Invalid value for \"offset\": a whole number is required, but have 0.5."),
        ),
    ];
    check_all(cases);
}

#[test]
fn replace() {
    let cases: Vec<Case> = vec![
        ("replace", vec![s("1 + 2 + 3"), s("+"), s("-")], Ok(s("1 - 2 - 3"))),
        ("replace", vec![s("hello world"), s("/w.*d/"), s("everybody")], Ok(s("hello everybody"))),
        ("replace", vec![s("a1b22"), s("/[0-9]+/"), s("#")], Ok(s("a#b#"))),
        ("replace", vec![s("key=value"), s("/(\\w+)=(\\w+)/"), s("$2=$1")], Ok(s("value=key"))),
        ("replace", vec![s("a/b"), s("/"), s("|")], Ok(s("a|b"))),
        (
            "replace",
            vec![s("x"), s("/(/"), s("y")],
            Err("Invalid value for \"substring\": invalid regular expression: unclosed group."),
        ),
    ];
    check_all(cases);
}

#[test]
fn regex() {
    let cases: Vec<Case> = vec![
        ("regex", vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")], Ok(s("aaabbbccc"))),
        ("regex", vec![s("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)"), s("2019-02-01")], Ok(strs(&["2019", "02", "01"]))),
        (
            "regex",
            vec![s("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"), s("https://example.com")],
            Ok(map([("authority", s("example.com")), ("scheme", s("https"))])),
        ),
        ("regex", vec![s("(a)|(b)"), s("b")], Ok(list([Value::Null, s("b")]))),
        (
            "regex",
            vec![s("[a-z]+"), s("123")],
            Err("Call to function \"regex\" failed: the pattern did not match any part of the given string."),
        ),
        (
            "regex",
            vec![s("(?P<x>a)(b)"), s("ab")],
            Err("Invalid value for \"pattern\": named and unnamed capture groups cannot be mixed in one pattern."),
        ),
        (
            "regex",
            vec![s("[a-"), s("a")],
            Err("Invalid value for \"pattern\": invalid regular expression: unclosed character class."),
        ),
        ("regexall", vec![s("[a-z]+"), s("1234abcd5678efgh9")], Ok(strs(&["abcd", "efgh"]))),
        ("regexall", vec![s("[a-z]+"), s("123")], Ok(list([]))),
        ("regexall", vec![s("(\\d)(\\w)"), s("1a2b")], Ok(list([strs(&["1", "a"]), strs(&["2", "b"])]))),
    ];
    check_all(cases);
}
