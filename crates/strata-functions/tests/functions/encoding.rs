//! Encodings and hashes.

use strata_value::Value;

use crate::{Case, b, check_all, list, map, n, s, strs};

#[test]
fn json_and_yaml() {
    let cases: Vec<Case> = vec![
        ("jsonencode", vec![map([("hello", s("world"))])], Ok(s(r#"{"hello":"world"}"#))),
        ("jsonencode", vec![list([s("a"), n(1.5), b(true), Value::Null])], Ok(s(r#"["a",1.5,true,null]"#))),
        ("jsonencode", vec![s("a & b")], Ok(s(r#""a \u0026 b""#))),
        ("jsonencode", vec![Value::Null], Ok(s("null"))),
        (
            "jsondecode",
            vec![s(r#"{"hello": "world", "n": [1, 2.5]}"#)],
            Ok(map([("hello", s("world")), ("n", list([n(1), n(2.5)]))])),
        ),
        ("jsondecode", vec![s("true")], Ok(b(true))),
        ("jsondecode", vec![s("null")], Ok(Value::Null)),
        (
            "jsondecode",
            vec![s("[1,")],
            Err(
                "Invalid value for \"string\": the string is not valid JSON: EOF while parsing a value at line 1 column 3.",
            ),
        ),
        ("jsondecode", vec![list([])], Err("Invalid value for \"string\": a string is required, but have a list.")),
        ("yamlencode", vec![map([("a", s("b")), ("c", list([n(1), n(2)]))])], Ok(s("a: b\nc:\n- 1\n- 2\n"))),
        ("yamlencode", vec![s("true")], Ok(s("'true'\n"))),
        (
            "yamldecode",
            vec![s("hello: world\nlist: [1, 2.5, true, ~]")],
            Ok(map([("hello", s("world")), ("list", list([n(1), n(2.5), b(true), Value::Null]))])),
        ),
        ("yamldecode", vec![s("1: one\ntrue: yes")], Ok(map([("1", s("one")), ("true", s("yes"))]))),
        ("yamldecode", vec![s("- a\n- b")], Ok(strs(&["a", "b"]))),
        (
            "yamldecode",
            vec![s("[a, b")],
            Err(
                "Invalid value for \"string\": the string is not valid YAML: did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence.",
            ),
        ),
    ];
    check_all(cases);
}

#[test]
fn base64_and_urls() {
    let cases: Vec<Case> = vec![
        ("base64encode", vec![s("Hello World")], Ok(s("SGVsbG8gV29ybGQ="))),
        ("base64encode", vec![s("")], Ok(s(""))),
        ("base64decode", vec![s("SGVsbG8gV29ybGQ=")], Ok(s("Hello World"))),
        ("base64decode", vec![s("!!")], Err("Invalid value for \"string\": the string is not valid base64.")),
        (
            "base64decode",
            vec![s("/w==")],
            Err("Invalid value for \"string\": the decoded bytes are not valid UTF-8 text."),
        ),
        ("urlencode", vec![s("Hello World!")], Ok(s("Hello+World%21"))),
        (
            "urlencode",
            vec![s("foo:bar@localhost?foo=bar&bar=baz")],
            Ok(s("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")),
        ),
        (
            "urlencode",
            vec![s("mailto:email?subject=this+is+my+subject")],
            Ok(s("mailto%3Aemail%3Fsubject%3Dthis%2Bis%2Bmy%2Bsubject")),
        ),
        ("urlencode", vec![s("é~")], Ok(s("%C3%A9~"))),
        ("urlencode", vec![map([])], Err("Invalid value for \"string\": a string is required, but have a map.")),
    ];
    check_all(cases);
}

#[test]
fn hashes() {
    let cases: Vec<Case> = vec![
        ("md5", vec![s("")], Ok(s("d41d8cd98f00b204e9800998ecf8427e"))),
        ("sha1", vec![s("")], Ok(s("da39a3ee5e6b4b0d3255bfef95601890afd80709"))),
        ("sha256", vec![s("")], Ok(s("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))),
        ("base64sha256", vec![s("")], Ok(s("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="))),
        ("sha256", vec![strs(&["a"])], Err("Invalid value for \"string\": a string is required, but have a list.")),
        ("md5", vec![Value::Null], Err("Invalid value for \"string\": argument must not be null.")),
    ];
    check_all(cases);
}
