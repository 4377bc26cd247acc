//! `format` and `formatlist` vectors (Terraform's documentation examples and Go's printf
//! rules for flags, width and precision).

use strata_value::Value;

use crate::{Case, b, check_all, list, map, n, s, strs};

#[test]
fn format_verbs() {
    let f = |spec: &str, values: Vec<Value>| -> Vec<Value> { [vec![s(spec)], values].concat() };
    let cases: Vec<Case> = vec![
        ("format", f("Hello, %s!", vec![s("Ander")]), Ok(s("Hello, Ander!"))),
        ("format", f("There are %d lights", vec![n(4)]), Ok(s("There are 4 lights"))),
        ("format", f("no verbs", vec![]), Ok(s("no verbs"))),
        ("format", f("100%%", vec![]), Ok(s("100%"))),
        ("format", f("%s", vec![n(1.5)]), Ok(s("1.5"))),
        ("format", f("%s", vec![b(true)]), Ok(s("true"))),
        ("format", f("%.3s", vec![s("abcdef")]), Ok(s("abc"))),
        ("format", f("%-5s|", vec![s("ab")]), Ok(s("ab   |"))),
        ("format", f("%5s|", vec![s("ab")]), Ok(s("   ab|"))),
        ("format", f("%5d", vec![n(42)]), Ok(s("   42"))),
        ("format", f("%-5d|", vec![n(42)]), Ok(s("42   |"))),
        ("format", f("%05d", vec![n(-42)]), Ok(s("-0042"))),
        ("format", f("%+d", vec![n(5)]), Ok(s("+5"))),
        ("format", f("% d", vec![n(5)]), Ok(s(" 5"))),
        ("format", f("%d", vec![s("12")]), Ok(s("12"))),
        ("format", f("%.2f", vec![n(1.23456)]), Ok(s("1.23"))),
        ("format", f("%f", vec![n(1)]), Ok(s("1.000000"))),
        ("format", f("%8.3f", vec![n(-1.23456)]), Ok(s("  -1.235"))),
        ("format", f("%e", vec![n(1234.5678)]), Ok(s("1.234568e+03"))),
        ("format", f("%.1E", vec![n(0.000123)]), Ok(s("1.2E-04"))),
        ("format", f("%g", vec![n(1234567)]), Ok(s("1.234567e+06"))),
        ("format", f("%g", vec![n(0.5)]), Ok(s("0.5"))),
        ("format", f("%.3g", vec![n(1.23456)]), Ok(s("1.23"))),
        ("format", f("%x %X %#x", vec![n(255), n(255), n(255)]), Ok(s("ff FF 0xff"))),
        ("format", f("%o %b", vec![n(8), n(5)]), Ok(s("10 101"))),
        ("format", f("%t", vec![s("true")]), Ok(s("true"))),
        ("format", f("%q", vec![s("say \"hi\"")]), Ok(s(r#""say \"hi\"""#))),
        ("format", f("%q", vec![n(1)]), Ok(s(r#""1""#))),
        ("format", f("%v", vec![s("text")]), Ok(s("text"))),
        ("format", f("%v", vec![n(2)]), Ok(s("2"))),
        ("format", f("%v", vec![list([n(1), s("a")])]), Ok(s(r#"[1,"a"]"#))),
        ("format", f("%v", vec![map([("k", b(false))])]), Ok(s(r#"{"k":false}"#))),
        ("format", f("%v", vec![Value::Null]), Ok(s("null"))),
        ("format", f("%#v", vec![s("a")]), Ok(s(r#""a""#))),
        ("format", f("%[2]s %[1]s", vec![s("a"), s("b")]), Ok(s("b a"))),
        ("format", f("%[2]s %s", vec![s("a"), s("b"), s("c")]), Ok(s("b c"))),
    ];
    check_all(cases);
}

#[test]
fn format_errors() {
    let f = |spec: &str, values: Vec<Value>| -> Vec<Value> { [vec![s(spec)], values].concat() };
    let cases: Vec<Case> = vec![
        (
            "format",
            f("%d", vec![n(1.5)]),
            Err(
                "Call to function \"format\" failed: unsupported value for %d at offset 0: a whole number is required.",
            ),
        ),
        (
            "format",
            f("x %d", vec![s("one")]),
            Err(
                "Call to function \"format\" failed: unsupported value for %d at offset 2: a number is required, but have a string that is not a number.",
            ),
        ),
        (
            "format",
            f("%s", vec![strs(&["a"])]),
            Err(
                "Call to function \"format\" failed: unsupported value for %s at offset 0: a string is required, but have a list.",
            ),
        ),
        (
            "format",
            f("%s", vec![Value::Null]),
            Err(
                "Call to function \"format\" failed: unsupported value for %s at offset 0: null value cannot be formatted.",
            ),
        ),
        (
            "format",
            f("%s %s", vec![s("a")]),
            Err("Call to function \"format\" failed: the verb %s at offset 3 needs argument 2, but only 1 was given."),
        ),
        (
            "format",
            f("%s", vec![s("a"), s("b")]),
            Err("Call to function \"format\" failed: too many arguments: the format string uses 1, but 2 were given."),
        ),
        ("format", f("%z", vec![n(1)]), Err("Invalid value for \"spec\": unsupported format verb %z at offset 0.")),
        ("format", f("abc %", vec![]), Err("Invalid value for \"spec\": unterminated format verb at offset 4.")),
        (
            "format",
            f("%[0]s", vec![s("a")]),
            Err("Invalid value for \"spec\": invalid argument index in the verb at offset 0."),
        ),
        ("format", vec![], Err("Function \"format\" expects at least 1 argument, but none were given.")),
    ];
    check_all(cases);
}

#[test]
fn formatlist() {
    let cases: Vec<Case> = vec![
        (
            "formatlist",
            vec![s("Hello, %s!"), strs(&["Valentina", "Ander", "Olivia", "Sam"])],
            Ok(strs(&["Hello, Valentina!", "Hello, Ander!", "Hello, Olivia!", "Hello, Sam!"])),
        ),
        (
            "formatlist",
            vec![s("%s, %s%s"), s("Salutations"), strs(&["Valentina", "Ander"]), s("!")],
            Ok(strs(&["Salutations, Valentina!", "Salutations, Ander!"])),
        ),
        ("formatlist", vec![s("%s=%d"), strs(&["a", "b"]), list([n(1), n(2)])], Ok(strs(&["a=1", "b=2"]))),
        ("formatlist", vec![s("%s"), list([])], Ok(list([]))),
        ("formatlist", vec![s("just %s"), s("one")], Ok(strs(&["just one"]))),
        (
            "formatlist",
            vec![s("%s=%s"), strs(&["a"]), strs(&["x", "y"])],
            Err("Invalid value for \"values\": all lists must have the same length (1), but this one has 2."),
        ),
        (
            "formatlist",
            vec![s("%d"), strs(&["x"])],
            Err(
                "Call to function \"formatlist\" failed: unsupported value for %d at offset 0: a number is required, but have a string that is not a number.",
            ),
        ),
    ];
    check_all(cases);
}
