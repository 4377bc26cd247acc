//! Unknown values and sensitive marks. One sample call per function; from each the table
//! derives a sensitive case (first argument marked: the result is marked) and an unknown
//! case (last argument unknown: the result given in the table). Then the special cases.

use strata_value::{Type, Value};

use crate::{b, check, list, map, n, s, secret, set, strs, unknown};

/// Function, arguments, known result, result when the last argument is unknown.
type Sample = (&'static str, Vec<Value>, Value, Value);

/// Functions not in the sample table: they read files or the clock, and are covered in
/// `filesystem.rs` and `registry.rs`.
const NOT_SAMPLED: &[&str] = &["file", "filebase64", "fileexists", "timestamp", "uuid"];

fn samples() -> Vec<Sample> {
    use Type::{Any, Bool, Number, String};
    let u = unknown;
    vec![
        ("abs", vec![n(-2)], n(2), u(Number)),
        ("abspath", vec![s("/a/b/../c")], s("/a/c"), u(String)),
        ("alltrue", vec![list([b(true), s("true")])], b(true), u(Bool)),
        ("anytrue", vec![list([b(false), b(true)])], b(true), u(Bool)),
        ("base64decode", vec![s("aGVsbG8=")], s("hello"), u(String)),
        ("base64encode", vec![s("hello")], s("aGVsbG8="), u(String)),
        ("base64sha256", vec![s("hello")], s("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="), u(String)),
        (
            "base64sha512",
            vec![s("hello")],
            s("m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw=="),
            u(String),
        ),
        ("basename", vec![s("a/b.txt")], s("b.txt"), u(String)),
        ("ceil", vec![n(1.2)], n(2), u(Number)),
        ("chomp", vec![s("hi\n\n")], s("hi"), u(String)),
        ("chunklist", vec![strs(&["a", "b", "c"]), n(2)], list([strs(&["a", "b"]), strs(&["c"])]), u(Type::list(Any))),
        ("cidrhost", vec![s("10.12.112.0/20"), n(16)], s("10.12.112.16"), u(String)),
        ("cidrnetmask", vec![s("172.16.0.0/12")], s("255.240.0.0"), u(String)),
        ("cidrsubnet", vec![s("10.1.2.0/24"), n(4), n(15)], s("10.1.2.240/28"), u(String)),
        (
            "cidrsubnets",
            vec![s("10.1.0.0/16"), n(4), n(4)],
            strs(&["10.1.0.0/20", "10.1.16.0/20"]),
            u(Type::list(String)),
        ),
        ("coalesce", vec![Value::Null, s(""), s("a")], s("a"), u(Any)),
        ("coalescelist", vec![list([]), strs(&["a"])], strs(&["a"]), u(Any)),
        ("compact", vec![list([s("a"), s(""), Value::Null, s("b")])], strs(&["a", "b"]), u(Type::list(String))),
        ("concat", vec![strs(&["a"]), strs(&["b", "c"])], strs(&["a", "b", "c"]), u(Type::list(Any))),
        ("contains", vec![strs(&["a", "b"]), s("b")], b(true), u(Bool)),
        ("dirname", vec![s("a/b.txt")], s("a"), u(String)),
        ("distinct", vec![strs(&["a", "b", "a"])], strs(&["a", "b"]), u(Any)),
        ("element", vec![strs(&["a", "b"]), n(3)], s("b"), u(Any)),
        ("endswith", vec![s("hello"), s("lo")], b(true), u(Bool)),
        (
            "flatten",
            vec![list([strs(&["a"]), list([strs(&["b"])]), s("c")])],
            strs(&["a", "b", "c"]),
            u(Type::list(Any)),
        ),
        ("floor", vec![n(1.8)], n(1), u(Number)),
        ("format", vec![s("%s-%d"), s("a"), n(1)], s("a-1"), u(String)),
        ("formatlist", vec![s("%s!"), strs(&["a", "b"])], strs(&["a!", "b!"]), u(Type::list(String))),
        ("index", vec![strs(&["a", "b"]), s("b")], n(1), u(Number)),
        ("indent", vec![n(2), s("a\nb")], s("a\n  b"), u(String)),
        ("join", vec![s(","), list([n(1), n(2)])], s("1,2"), u(String)),
        ("jsondecode", vec![s(r#"{"a":[1,true]}"#)], map([("a", list([n(1), b(true)]))]), u(Any)),
        ("jsonencode", vec![map([("a", list([n(1), s("<b>")]))])], s(r#"{"a":[1,"\u003cb\u003e"]}"#), u(String)),
        ("keys", vec![map([("a", n(1)), ("b", n(2))])], strs(&["a", "b"]), u(Type::list(String))),
        ("length", vec![strs(&["a", "b"])], n(2), u(Number)),
        ("log", vec![n(8), n(2)], n(3), u(Number)),
        ("lookup", vec![map([("a", s("x"))]), s("b"), s("d")], s("d"), u(Any)),
        ("lower", vec![s("ABC")], s("abc"), u(String)),
        ("max", vec![n(1), n(5), n(3)], n(5), u(Number)),
        ("md5", vec![s("hello")], s("5d41402abc4b2a76b9719d911017c592"), u(String)),
        ("merge", vec![map([("a", n(1))]), map([("b", n(2))])], map([("a", n(1)), ("b", n(2))]), u(Type::map(Any))),
        ("min", vec![n(1), n(5), n(3)], n(1), u(Number)),
        ("one", vec![strs(&["a"])], s("a"), u(Any)),
        ("parseint", vec![s("ff"), n(16)], n(255), u(Number)),
        ("pow", vec![n(2), n(10)], n(1024), u(Number)),
        ("range", vec![n(1), n(4)], list([n(1), n(2), n(3)]), u(Type::list(Number))),
        ("regex", vec![s("[a-z]+"), s("123abc")], s("abc"), u(Any)),
        ("regexall", vec![s("[a-z]"), s("a1b")], strs(&["a", "b"]), u(Type::list(Any))),
        ("replace", vec![s("a-b-c"), s("-"), s("+")], s("a+b+c"), u(String)),
        ("reverse", vec![strs(&["a", "b"])], strs(&["b", "a"]), u(Any)),
        ("setintersection", vec![strs(&["a", "b"]), strs(&["b", "c"])], set([s("b")]), u(Type::set(Any))),
        ("setsubtract", vec![strs(&["a", "b"]), strs(&["b"])], set([s("a")]), u(Type::set(Any))),
        ("setunion", vec![strs(&["b"]), strs(&["a"])], set([s("a"), s("b")]), u(Type::set(Any))),
        ("sha1", vec![s("hello")], s("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"), u(String)),
        ("sha256", vec![s("hello")], s("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), u(String)),
        (
            "sha512",
            vec![s("hello")],
            s("9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7\
               2323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"),
            u(String),
        ),
        ("signum", vec![n(-3)], n(-1), u(Number)),
        // The result type is the list's, which is still known.
        ("slice", vec![strs(&["a", "b", "c"]), n(1), n(3)], strs(&["b", "c"]), u(Type::list(String))),
        ("sort", vec![strs(&["b", "a"])], strs(&["a", "b"]), u(Type::list(String))),
        ("split", vec![s(","), s("a,b")], strs(&["a", "b"]), u(Type::list(String))),
        ("startswith", vec![s("hello"), s("he")], b(true), u(Bool)),
        ("strrev", vec![s("abc")], s("cba"), u(String)),
        ("substr", vec![s("hello"), n(1), n(3)], s("ell"), u(String)),
        ("sum", vec![list([n(1), n(2), n(3)])], n(6), u(Number)),
        ("title", vec![s("hello world")], s("Hello World"), u(String)),
        ("tobool", vec![s("true")], b(true), u(Bool)),
        ("tolist", vec![set([s("b"), s("a")])], strs(&["a", "b"]), u(Type::list(Any))),
        ("tomap", vec![map([("a", n(1))])], map([("a", n(1))]), u(Type::map(Any))),
        ("tonumber", vec![s("42")], n(42), u(Number)),
        ("toset", vec![strs(&["b", "a", "b"])], set([s("a"), s("b")]), u(Type::set(Any))),
        ("tostring", vec![n(1)], s("1"), u(String)),
        (
            "transpose",
            vec![map([("a", strs(&["x", "y"])), ("b", strs(&["x"]))])],
            map([("x", strs(&["a", "b"])), ("y", strs(&["a"]))]),
            u(Type::map(Type::list(String))),
        ),
        ("trim", vec![s("?!hi?!"), s("!?")], s("hi"), u(String)),
        ("trimprefix", vec![s("helloworld"), s("hello")], s("world"), u(String)),
        ("trimspace", vec![s("  hi \n")], s("hi"), u(String)),
        ("trimsuffix", vec![s("helloworld"), s("world")], s("hello"), u(String)),
        ("upper", vec![s("abc")], s("ABC"), u(String)),
        ("urlencode", vec![s("a b&c")], s("a+b%26c"), u(String)),
        ("values", vec![map([("a", n(1)), ("b", n(2))])], list([n(1), n(2)]), u(Type::list(Any))),
        ("yamldecode", vec![s("a: [1, true]")], map([("a", list([n(1), b(true)]))]), u(Any)),
        ("yamlencode", vec![map([("a", n(1))])], s("a: 1\n"), u(String)),
        ("zipmap", vec![strs(&["a", "b"]), list([n(1), n(2)])], map([("a", n(1)), ("b", n(2))]), u(Type::map(Any))),
    ]
}

#[test]
fn every_function_has_a_sample() {
    let sampled: Vec<&str> = samples().iter().map(|sample| sample.0).collect();
    let missing: Vec<&str> =
        strata_functions::names().filter(|name| !sampled.contains(name) && !NOT_SAMPLED.contains(name)).collect();
    assert!(missing.is_empty(), "functions without a sample: {missing:?}");
}

#[test]
fn samples_give_their_results() {
    for (name, args, expected, _) in samples() {
        check(name, args, Ok(expected));
    }
}

#[test]
fn a_sensitive_argument_marks_the_result() {
    for (name, mut args, expected, _) in samples() {
        args[0] = secret(args[0].clone());
        check(name, args, Ok(secret(expected)));
    }
}

#[test]
fn an_unknown_argument_gives_an_unknown_result() {
    for (name, mut args, _, when_unknown) in samples() {
        *args.last_mut().unwrap() = unknown(Type::Any);
        check(name, args, Ok(when_unknown));
    }
}

#[test]
fn unknown_and_sensitive_together_give_a_sensitive_unknown() {
    for (name, mut args, _, when_unknown) in samples() {
        *args.last_mut().unwrap() = secret(unknown(Type::Any));
        check(name, args, Ok(secret(when_unknown)));
    }
}

#[test]
fn marks_deep_inside_arguments_mark_the_result() {
    check("join", vec![s("-"), list([s("a"), secret(s("b"))])], Ok(secret(s("a-b"))));
    check("length", vec![map([("k", secret(s("v")))])], Ok(secret(n(1))));
    check("keys", vec![map([("k", secret(s("v")))])], Ok(secret(strs(&["k"]))));
    check("jsonencode", vec![list([secret(n(1))])], Ok(secret(s("[1]"))));
    check("upper", vec![s("plain")], Ok(s("PLAIN")));
}

#[test]
fn errors_never_quote_a_sensitive_argument() {
    check(
        "tonumber",
        vec![secret(s("hunter2"))],
        Err("Invalid value for \"value\": a number is required, but (sensitive value) is not a number."),
    );
    check(
        "lookup",
        vec![map([("a", n(1))]), secret(s("hunter2"))],
        Err(
            "Call to function \"lookup\" failed: the given map has no key (sensitive value) and no default value was given.",
        ),
    );
    check(
        "parseint",
        vec![secret(s("zz")), n(10)],
        Err("Invalid value for \"number\": cannot parse (sensitive value) as a base 10 integer."),
    );
}

/// The functions that return what is known rather than an unknown.
#[test]
fn functions_that_see_through_unknowns() {
    let u = || unknown(Type::String);
    let cases = vec![
        // length: known length with unknown elements; not for sets, whose elements may merge.
        ("length", vec![list([u(), u()])], Ok(n(2))),
        ("length", vec![map([("a", u())])], Ok(n(1))),
        ("length", vec![Value::Set(vec![s("a"), u()])], Ok(unknown(Type::Number))),
        ("length", vec![unknown(Type::list(Type::String))], Ok(unknown(Type::Number))),
        // keys and values of a known map with unknown values.
        ("keys", vec![map([("a", u()), ("b", n(1))])], Ok(strs(&["a", "b"]))),
        ("values", vec![map([("a", u()), ("b", n(1))])], Ok(list([u(), n(1)]))),
        // coalesce: the first usable value if everything before it is known.
        ("coalesce", vec![Value::Null, s("a"), u()], Ok(s("a"))),
        ("coalesce", vec![Value::Null, u(), s("a")], Ok(u())),
        ("coalesce", vec![s(""), unknown(Type::Number), s("a")], Ok(unknown(Type::String))),
        // concat keeps unknown elements in place; an unknown list hides the length.
        ("concat", vec![list([u()]), strs(&["b"])], Ok(list([u(), s("b")]))),
        ("concat", vec![strs(&["a"]), unknown(Type::list(Type::String))], Ok(unknown(Type::list(Type::Any)))),
        // contains: a known match wins; otherwise an unknown element makes it unknown.
        ("contains", vec![list([u(), s("b")]), s("b")], Ok(b(true))),
        ("contains", vec![list([u(), s("b")]), s("c")], Ok(unknown(Type::Bool))),
        ("contains", vec![strs(&["a"]), s("c")], Ok(b(false))),
        ("contains", vec![unknown(Type::list(Type::String)), s("c")], Ok(unknown(Type::Bool))),
        // lookup: a known key in a known map, whatever the other values.
        ("lookup", vec![map([("a", s("x")), ("b", u())]), s("a")], Ok(s("x"))),
        ("lookup", vec![map([("a", s("x")), ("b", u())]), s("b")], Ok(u())),
        ("lookup", vec![map([("a", s("x"))]), u()], Ok(unknown(Type::Any))),
        ("lookup", vec![unknown(Type::map(Type::String)), s("a")], Ok(unknown(Type::Any))),
        ("lookup", vec![map([("a", s("x"))]), s("a"), u()], Ok(s("x"))),
        // element: the element picked may be unknown, others do not matter.
        ("element", vec![list([u(), s("b")]), n(1)], Ok(s("b"))),
        ("element", vec![list([u(), s("b")]), n(0)], Ok(u())),
        ("element", vec![strs(&["a"]), unknown(Type::Number)], Ok(unknown(Type::Any))),
        // merge keeps unknown values under known keys.
        ("merge", vec![map([("a", u())]), map([("b", n(1))])], Ok(map([("a", u()), ("b", n(1))]))),
        // tolist and tomap convert around unknown elements.
        ("tolist", vec![list([s("a"), unknown(Type::Any)])], Ok(list([s("a"), u()]))),
        (
            "tomap",
            vec![map([("a", n(1)), ("b", unknown(Type::Any))])],
            Ok(map([("a", n(1)), ("b", unknown(Type::Number))])),
        ),
        // Generic: any unknown inside gives an unknown result.
        ("jsonencode", vec![map([("a", list([u()]))])], Ok(unknown(Type::String))),
        ("join", vec![s(","), list([s("a"), u()])], Ok(unknown(Type::String))),
        ("flatten", vec![list([list([u()])])], Ok(unknown(Type::list(Type::Any)))),
    ];
    for (name, args, expected) in cases {
        check(name, args, expected);
    }
}
