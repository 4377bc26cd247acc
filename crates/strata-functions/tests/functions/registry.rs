//! Looking functions up, arity checks, and the functions whose results change per call.

use strata_functions::{Arity, FunctionContext, FunctionError, call, exists, names, signature};
use strata_value::{Type, Value};

use crate::{Case, check_all, map, n, s, secret, unknown};

#[test]
fn lookup_by_name() {
    let cases = [
        ("join", Some("join(separator, list)")),
        ("lookup", Some("lookup(map, key, [default])")),
        ("format", Some("format(spec, values...)")),
        ("try", None),
        ("templatefile", None),
        ("JOIN", None),
    ];
    for (name, expected) in cases {
        assert_eq!((signature(name), exists(name)), (expected, expected.is_some()), "{name}");
    }
    let all: Vec<&str> = names().collect();
    assert!(all.windows(2).all(|pair| pair[0] < pair[1]), "names are sorted and unique");
    assert!(all.iter().all(|name| signature(name).is_some_and(|sig| sig.starts_with(&format!("{name}(")))));
}

#[test]
fn unknown_functions_and_wrong_argument_counts() {
    let cases: Vec<Case> = vec![
        ("nope", vec![], Err("There is no function named \"nope\".")),
        ("upper", vec![], Err("Function \"upper\" expects exactly 1 argument, but none were given.")),
        ("join", vec![s(",")], Err("Function \"join\" expects exactly 2 arguments, but 1 was given.")),
        (
            "lookup",
            vec![map([]), s("a"), s("b"), s("c")],
            Err("Function \"lookup\" expects 2 or 3 arguments, but 4 were given."),
        ),
        ("range", vec![], Err("Function \"range\" expects from 1 to 3 arguments, but none were given.")),
        ("uuid", vec![n(1)], Err("Function \"uuid\" expects exactly 0 arguments, but 1 was given.")),
        // The arity is checked before unknowns and marks are looked at.
        (
            "upper",
            vec![unknown(Type::String), secret(s("a"))],
            Err("Function \"upper\" expects exactly 1 argument, but 2 were given."),
        ),
    ];
    check_all(cases);
}

#[test]
fn errors_carry_the_function_name_and_argument_index() {
    let got = call("join", vec![s(","), s("x")], &FunctionContext::default());
    let message = "Invalid value for \"list\": a list is required, but have a string.".to_owned();
    assert_eq!(got, Err(FunctionError::Argument { name: "join".into(), index: 1, message }));
    let got = call("lookup", vec![map([])], &FunctionContext::default());
    assert_eq!(got, Err(FunctionError::Arity { name: "lookup".into(), expected: Arity::Range(2, 3), got: 1 }));
}

#[test]
fn timestamp_is_rfc3339_utc() {
    let value = call("timestamp", vec![], &FunctionContext::default()).unwrap();
    let text = value.as_str().unwrap();
    let shape = regex_like(text, "dddd-dd-ddTdd:dd:ddZ");
    assert!(shape, "{text} is not an RFC 3339 UTC timestamp");
}

#[test]
fn uuid_is_random_version_4() {
    let first = call("uuid", vec![], &FunctionContext::default()).unwrap();
    let second = call("uuid", vec![], &FunctionContext::default()).unwrap();
    let text = first.as_str().unwrap();
    assert!(regex_like(text, "hhhhhhhh-hhhh-4hhh-hhhh-hhhhhhhhhhhh"), "{text} is not a version 4 UUID");
    assert_ne!(first, second);
    assert!(matches!(second, Value::String(_)));
}

/// `d` a digit, `h` a lowercase hex digit, anything else itself.
fn regex_like(text: &str, shape: &str) -> bool {
    text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, p)| match p {
            'd' => c.is_ascii_digit(),
            'h' => c.is_ascii_digit() || ('a'..='f').contains(&c),
            p => c == p,
        })
}
