//! Numeric functions.

use strata_value::Value;

use crate::{Case, check_all, list, n, s};

#[test]
fn numbers() {
    let cases: Vec<Case> = vec![
        ("abs", vec![n(23)], Ok(n(23))),
        ("abs", vec![n(-12.4)], Ok(n(12.4))),
        ("abs", vec![s("-1")], Ok(n(1))),
        ("abs", vec![s("x")], Err("Invalid value for \"number\": a number is required, but \"x\" is not a number.")),
        ("ceil", vec![n(5)], Ok(n(5))),
        ("ceil", vec![n(-5.1)], Ok(n(-5))),
        ("floor", vec![n(-4.1)], Ok(n(-5))),
        ("floor", vec![Value::Null], Err("Invalid value for \"number\": argument must not be null.")),
        ("signum", vec![n(0)], Ok(n(0))),
        ("signum", vec![n(344)], Ok(n(1))),
        ("pow", vec![n(4), n(0.5)], Ok(n(2))),
        ("pow", vec![n(0), n(-1)], Err("Call to function \"pow\" failed: the result is not a finite number.")),
        ("log", vec![n(1), n(10)], Ok(n(0))),
        ("log", vec![n(16), n(2)], Ok(n(4))),
        (
            "log",
            vec![n(0), n(2)],
            Err("Invalid value for \"number\": the logarithm is defined for positive numbers only."),
        ),
        ("log", vec![n(2), n(1)], Err("Invalid value for \"base\": the base must be positive and not 1.")),
        ("max", vec![n(12), n(54), n(3)], Ok(n(54))),
        ("min", vec![n(12), s("-3"), n(3)], Ok(n(-3))),
        ("max", vec![], Err("Function \"max\" expects at least 1 argument, but none were given.")),
        ("min", vec![n(1), list([])], Err("Invalid value for \"numbers\": a number is required, but have a list.")),
        ("sum", vec![list([n(10), n(13), n(6), n(20)])], Ok(n(49))),
        ("sum", vec![list([n(-1.5), s("2")])], Ok(n(0.5))),
        ("sum", vec![list([])], Err("Invalid value for \"list\": cannot sum an empty list.")),
        (
            "sum",
            vec![list([n(1), s("x")])],
            Err("Invalid value for \"list\": element 1: a number is required, but \"x\" is not a number."),
        ),
        ("parseint", vec![s("100"), n(10)], Ok(n(100))),
        ("parseint", vec![s("FF"), n(16)], Ok(n(255))),
        ("parseint", vec![s("-12"), n(8)], Ok(n(-10))),
        ("parseint", vec![s("1101"), n(2)], Ok(n(13))),
        ("parseint", vec![s("zA"), n(62)], Ok(n(35.0 * 62.0 + 36.0))),
        (
            "parseint",
            vec![s("12"), n(2)],
            Err("Invalid value for \"number\": cannot parse \"12\" as a base 2 integer."),
        ),
        ("parseint", vec![s(""), n(10)], Err("Invalid value for \"number\": cannot parse \"\" as a base 10 integer.")),
        ("parseint", vec![s("1"), n(63)], Err("Invalid value for \"base\": the base must be from 2 to 62, but is 63.")),
    ];
    check_all(cases);
}
