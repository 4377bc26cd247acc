//! Lists, maps, sets and type conversions.

use strata_value::{Type, Value};

use crate::{Case, b, check_all, list, map, n, s, set, strs};

#[test]
fn lengths_keys_and_lookups() {
    let cases: Vec<Case> = vec![
        ("length", vec![s("héllo")], Ok(n(5))),
        ("length", vec![list([])], Ok(n(0))),
        ("length", vec![set([s("a"), s("a"), s("b")])], Ok(n(2))),
        (
            "length",
            vec![n(3)],
            Err("Invalid value for \"value\": a collection or string is required, but have a number."),
        ),
        ("length", vec![Value::Null], Err("Invalid value for \"value\": argument must not be null.")),
        ("keys", vec![map([("b", n(1)), ("a", n(2))])], Ok(strs(&["a", "b"]))),
        ("keys", vec![strs(&["a"])], Err("Invalid value for \"map\": a map is required, but have a list.")),
        ("values", vec![map([("b", s("x")), ("a", s("y"))])], Ok(strs(&["y", "x"]))),
        ("values", vec![Value::Null], Err("Invalid value for \"map\": argument must not be null.")),
        ("lookup", vec![map([("a", s("x"))]), s("a")], Ok(s("x"))),
        ("lookup", vec![map([("a", s("x"))]), s("b"), s("d")], Ok(s("d"))),
        (
            "lookup",
            vec![map([("a", s("x"))]), s("b")],
            Err("Call to function \"lookup\" failed: the given map has no key \"b\" and no default value was given."),
        ),
        ("lookup", vec![map([]), list([])], Err("Invalid value for \"key\": a string is required, but have a list.")),
        (
            "merge",
            vec![map([("a", n(1)), ("b", n(1))]), Value::Null, map([("b", n(2))])],
            Ok(map([("a", n(1)), ("b", n(2))])),
        ),
        ("merge", vec![map([]), strs(&["a"])], Err("Invalid value for \"maps\": a map is required, but have a list.")),
        ("zipmap", vec![strs(&["a", "b"]), strs(&["x", "y"])], Ok(map([("a", s("x")), ("b", s("y"))]))),
        (
            "zipmap",
            vec![strs(&["a"]), strs(&["x", "y"])],
            Err("Invalid value for \"values\": the number of values (2) must match the number of keys (1)."),
        ),
        (
            "transpose",
            vec![map([("a", s("x"))])],
            Err("Invalid value for \"map\": the value of key \"a\" must be a list of strings, but is a string."),
        ),
    ];
    check_all(cases);
}

#[test]
fn searching_lists() {
    let cases: Vec<Case> = vec![
        ("contains", vec![strs(&["a", "b"]), s("c")], Ok(b(false))),
        ("contains", vec![strs(&["1", "2"]), n(1)], Ok(b(true))),
        ("contains", vec![list([n(1), n(2)]), s("2")], Ok(b(true))),
        ("contains", vec![set([s("x")]), s("x")], Ok(b(true))),
        ("contains", vec![s("abc"), s("a")], Err("Invalid value for \"list\": a list is required, but have a string.")),
        ("element", vec![strs(&["a", "b", "c"]), n(1)], Ok(s("b"))),
        ("element", vec![strs(&["a", "b", "c"]), n(5)], Ok(s("c"))),
        (
            "element",
            vec![list([]), n(0)],
            Err("Invalid value for \"list\": cannot use element function with an empty list."),
        ),
        (
            "element",
            vec![strs(&["a"]), n(-1)],
            Err("Invalid value for \"index\": cannot use element function with a negative index."),
        ),
        (
            "element",
            vec![strs(&["a"]), n(1.5)],
            Err("Invalid value for \"index\": a whole number is required, but have 1.5."),
        ),
        ("index", vec![strs(&["a", "b", "c"]), s("c")], Ok(n(2))),
        (
            "index",
            vec![strs(&["a"]), s("z")],
            Err("Call to function \"index\" failed: the given value is not in the list."),
        ),
        ("coalesce", vec![Value::Null, n(1), s("a")], Ok(s("1"))),
        ("coalesce", vec![Value::Null, strs(&["a"])], Ok(strs(&["a"]))),
        (
            "coalesce",
            vec![Value::Null, s("")],
            Err("Call to function \"coalesce\" failed: no non-null, non-empty-string arguments."),
        ),
        (
            "coalescelist",
            vec![list([]), list([])],
            Err("Call to function \"coalescelist\" failed: no non-empty list arguments."),
        ),
        ("coalescelist", vec![s("a")], Err("Invalid value for \"lists\": a list is required, but have a string.")),
        ("one", vec![list([])], Ok(Value::Null)),
        (
            "one",
            vec![strs(&["a", "b"])],
            Err("Invalid value for \"list\": must have no more than one element, but has 2."),
        ),
        ("alltrue", vec![list([])], Ok(b(true))),
        ("alltrue", vec![list([b(true), b(false)])], Ok(b(false))),
        ("anytrue", vec![list([])], Ok(b(false))),
        (
            "anytrue",
            vec![list([s("yes")])],
            Err("Invalid value for \"list\": element 0: a bool is required, but have a string."),
        ),
        ("alltrue", vec![list([Value::Null])], Err("Invalid value for \"list\": element 0 must not be null.")),
    ];
    check_all(cases);
}

#[test]
fn building_lists() {
    let cases: Vec<Case> = vec![
        ("concat", vec![strs(&["a"]), list([n(1)]), list([])], Ok(list([s("a"), n(1)]))),
        (
            "concat",
            vec![strs(&["a"]), s("b")],
            Err("Invalid value for \"lists\": a list is required, but have a string."),
        ),
        ("concat", vec![], Err("Function \"concat\" expects at least 1 argument, but none were given.")),
        ("flatten", vec![list([list([]), list([set([s("a")])])])], Ok(strs(&["a"]))),
        ("flatten", vec![map([])], Err("Invalid value for \"list\": a list is required, but have a map.")),
        ("distinct", vec![list([n(1), n(2), n(1), n(3)])], Ok(list([n(1), n(2), n(3)]))),
        ("distinct", vec![s("a")], Err("Invalid value for \"list\": a list is required, but have a string.")),
        ("reverse", vec![list([])], Ok(list([]))),
        ("reverse", vec![n(1)], Err("Invalid value for \"list\": a list is required, but have a number.")),
        ("slice", vec![strs(&["a", "b"]), n(0), n(0)], Ok(list([]))),
        (
            "slice",
            vec![strs(&["a", "b"]), n(1), n(3)],
            Err("Invalid value for \"end_index\": the end index must not be greater than the length of the list (2)."),
        ),
        (
            "slice",
            vec![strs(&["a", "b"]), n(2), n(1)],
            Err("Invalid value for \"start_index\": the start index must not be greater than the end index."),
        ),
        ("sort", vec![list([s("b"), n(10), s("a"), n(9)])], Ok(strs(&["10", "9", "a", "b"]))),
        ("sort", vec![list([s("a"), Value::Null])], Err("Invalid value for \"list\": element 1 must not be null.")),
        (
            "compact",
            vec![list([s("a"), list([])])],
            Err("Invalid value for \"list\": element 1: a string is required, but have a list."),
        ),
        ("chunklist", vec![strs(&["a", "b"]), n(0)], Ok(list([strs(&["a", "b"])]))),
        ("chunklist", vec![list([]), n(3)], Ok(list([]))),
        ("chunklist", vec![strs(&["a"]), n(-1)], Err("Invalid value for \"size\": the size must not be negative.")),
        ("range", vec![n(3)], Ok(list([n(0), n(1), n(2)]))),
        ("range", vec![n(1), n(8), n(2)], Ok(list([n(1), n(3), n(5), n(7)]))),
        ("range", vec![n(1), n(3), n(0.5)], Ok(list([n(1), n(1.5), n(2), n(2.5)]))),
        ("range", vec![n(4), n(1)], Ok(list([n(4), n(3), n(2)]))),
        ("range", vec![n(10), n(5), n(-2)], Ok(list([n(10), n(8), n(6)]))),
        ("range", vec![n(0)], Ok(list([]))),
        ("range", vec![n(1), n(2), n(0)], Err("Invalid value for \"step\": the step must not be zero.")),
        (
            "range",
            vec![n(1), n(4), n(-1)],
            Err("Invalid value for \"step\": the step must be positive when the start is less than the limit."),
        ),
        ("range", vec![n(2000)], Err("Call to function \"range\" failed: more than 1024 numbers would be generated.")),
        (
            "range",
            vec![s("x")],
            Err("Invalid value for \"start_or_limit\": a number is required, but \"x\" is not a number."),
        ),
    ];
    check_all(cases);
}

#[test]
fn sets() {
    let cases: Vec<Case> = vec![
        (
            "setunion",
            vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])],
            Ok(set([s("a"), s("b"), s("c"), s("d")])),
        ),
        ("setintersection", vec![strs(&["a", "b"]), strs(&["c"])], Ok(set([]))),
        (
            "setintersection",
            vec![strs(&["a", "b", "c"]), strs(&["b", "c"]), strs(&["c", "b", "x"])],
            Ok(set([s("b"), s("c")])),
        ),
        ("setsubtract", vec![set([n(1), n(2), n(3)]), set([n(2)])], Ok(set([n(1), n(3)]))),
        (
            "setunion",
            vec![strs(&["a"]), s("b")],
            Err("Invalid value for \"sets\": a list is required, but have a string."),
        ),
        (
            "setsubtract",
            vec![strs(&["a"])],
            Err("Function \"setsubtract\" expects exactly 2 arguments, but 1 was given."),
        ),
    ];
    check_all(cases);
}

#[test]
fn conversions() {
    let cases: Vec<Case> = vec![
        ("tostring", vec![b(true)], Ok(s("true"))),
        ("tostring", vec![n(2.5)], Ok(s("2.5"))),
        ("tostring", vec![Value::Null], Ok(Value::Null)),
        ("tostring", vec![strs(&["a"])], Err("Invalid value for \"value\": a string is required, but have a list.")),
        ("tonumber", vec![s(" 2.5 ")], Ok(n(2.5))),
        (
            "tonumber",
            vec![s("two")],
            Err("Invalid value for \"value\": a number is required, but \"two\" is not a number."),
        ),
        ("tobool", vec![s("false")], Ok(b(false))),
        ("tobool", vec![s("yes")], Err("Invalid value for \"value\": a bool is required, but \"yes\" is not a bool.")),
        ("tolist", vec![list([s("a"), n(1), b(true)])], Ok(strs(&["a", "1", "true"]))),
        (
            "tolist",
            vec![list([s("a"), strs(&["b"])])],
            Err("Invalid value for \"value\": all elements must have the same type."),
        ),
        ("tolist", vec![s("a")], Err("Invalid value for \"value\": a list or set is required, but have a string.")),
        ("toset", vec![list([n(1), s("1")])], Ok(set([s("1")]))),
        ("toset", vec![map([])], Err("Invalid value for \"value\": a list or set is required, but have a map.")),
        ("tomap", vec![map([("a", n(1)), ("b", s("x"))])], Ok(map([("a", s("1")), ("b", s("x"))]))),
        (
            "tomap",
            vec![strs(&["a"])],
            Err("Invalid value for \"value\": a map or object is required, but have a list."),
        ),
        ("tolist", vec![Value::Null], Ok(Value::Null)),
        ("tolist", vec![list([Value::Null, n(1)])], Ok(list([Value::Null, n(1)]))),
        ("tomap", vec![map([("a", Value::Unknown(Type::Any))])], Ok(map([("a", Value::Unknown(Type::Any))]))),
    ];
    check_all(cases);
}
