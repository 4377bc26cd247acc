//! Evaluator tables: each row is an expression, and what it must evaluate to (rendered with
//! `Value::to_hcl`, so unknowns print as `(known after apply)` and sensitive values as
//! `(sensitive value)`) or the summary of the diagnostic it must produce.
//!
//! The scope every row sees:
//! - `var.n = 2`, `var.s = "hi"`, `var.list = ["a", "b"]`, `var.map = { a = 1, b = 2 }`,
//!   `var.secret = sensitive("pw")`, `var.unknown = (known after apply)`, `var.null = null`
//! - `res.x = { id = (known after apply), name = "x" }`, `res.many = [{ id = "1" }, { id = "2" }]`

use std::collections::BTreeMap;
use std::sync::Arc;

use strata_diagnostics::FileId;
use strata_eval::EvalContext;
use strata_functions::FunctionContext;
use strata_value::{Type, Value};

fn scope() -> BTreeMap<String, Value> {
    let s = |v: &str| Value::from(v);
    let object = |entries: Vec<(&str, Value)>| Value::map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)));
    let var = object(vec![
        ("n", Value::from(2.0)),
        ("s", s("hi")),
        ("list", Value::List(vec![s("a"), s("b")])),
        ("map", object(vec![("a", Value::from(1.0)), ("b", Value::from(2.0))])),
        ("secret", s("pw").mark_sensitive()),
        ("unknown", Value::Unknown(Type::String)),
        ("null", Value::Null),
    ]);
    let res = object(vec![
        ("x", object(vec![("id", Value::Unknown(Type::String)), ("name", s("x"))])),
        ("many", Value::List(vec![object(vec![("id", s("1"))]), object(vec![("id", s("2"))])])),
    ]);
    [("var".to_owned(), var), ("res".to_owned(), res)].into_iter().collect()
}

/// Evaluates `source` and renders the result, or `error: SUMMARY`.
fn eval(source: &str) -> String {
    let expr = match hcl::edit::parser::parse_expr(source) {
        Ok(e) => e,
        Err(e) => return format!("parse error: {e}"),
    };
    let context = EvalContext {
        file: FileId(0),
        scope: Arc::new(scope()),
        extra: BTreeMap::new(),
        functions: FunctionContext { base_dir: ".".into() },
    };
    match context.eval(&expr) {
        Ok(v) => v.to_hcl(),
        Err(d) => format!("error: {}", d.summary),
    }
}

fn check(rows: &[(&str, &str)]) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(source, want)| {
            let got = eval(source);
            (got != *want).then(|| format!("  {source}\n    want: {want}\n    got:  {got}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), rows.len(), failures.join("\n"));
}

#[test]
fn literals_and_collections() {
    check(&[
        ("null", "null"),
        ("true", "true"),
        ("1.5", "1.5"),
        ("\"a\\nb\"", r#""a\nb""#),
        ("[1, \"a\", true]", r#"[1, "a", true]"#),
        ("{ a = 1, \"b.c\" = 2 }", r#"{ "a" = 1, "b.c" = 2 }"#),
        ("{ (var.s) = 1 }", r#"{ "hi" = 1 }"#),
        ("{ hi = 1, (var.s) = 2 }", "error: Duplicate object key"),
        ("{ (var.unknown) = 1 }", "(known after apply)"),
    ]);
}

#[test]
fn operators() {
    check(&[
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("7 % 3", "1"),
        ("-var.n", "-2"),
        ("\"3\" + 1", "4"),
        ("\"x\" + 1", "error: Invalid operand"),
        ("1 / 0", "error: Division by zero"),
        ("1 < 2 && 2 <= 2", "true"),
        ("!true || false", "false"),
        ("var.list == [\"a\", \"b\"]", "true"),
        ("var.map != { a = 1, b = 2 }", "false"),
        ("null + 1", "error: Invalid operand"),
        // Unknown operands make unknown results of the operator's type.
        ("var.unknown == \"a\"", "(known after apply)"),
        ("length(var.s) + res.x.id", "(known after apply)"),
        ("1 + var.unknown", "(known after apply)"),
        ("var.unknown + \"x\"", "error: Invalid operand"),
        // `&&`/`||` decide from a known left side.
        ("false && var.unknown", "false"),
        ("true || var.unknown", "true"),
        ("true && var.unknown", "(known after apply)"),
        // Sensitive operands make sensitive results.
        ("var.secret == \"pw\"", "(sensitive value)"),
        ("\"${var.secret}!\"", "(sensitive value)"),
    ]);
}

#[test]
fn conditionals() {
    check(&[
        ("var.n > 1 ? \"big\" : \"small\"", r#""big""#),
        ("var.null == null ? 1 : 2", "1"),
        ("\"true\" ? 1 : 2", "1"),
        ("\"maybe\" ? 1 : 2", "error: Incorrect condition type"),
        ("null ? 1 : 2", "error: Null condition"),
        ("var.unknown == \"x\" ? 1 : 2", "(known after apply)"),
        ("var.secret == \"pw\" ? 1 : 2", "(sensitive value)"),
        // Both branches are checked even when the condition is unknown.
        ("var.unknown == \"x\" ? 1 : nosuch(1)", "error: Call to unknown function"),
    ]);
}

#[test]
fn traversals_and_splats() {
    check(&[
        ("var.list[1]", r#""b""#),
        ("var.list[\"1\"]", r#""b""#),
        ("var.list[5]", "error: Invalid index"),
        ("var.list[-1]", "error: Invalid index"),
        ("var.map.a", "1"),
        ("var.map[\"b\"]", "2"),
        ("var.map.c", "error: Unsupported attribute"),
        ("var.map[\"c\"]", "error: Invalid index"),
        ("var.null.a", "error: Attempt to get attribute from null value"),
        ("var.s.length", "error: Unsupported attribute"),
        ("res.x.id", "(known after apply)"),
        ("res.x.name", r#""x""#),
        ("res.many[*].id", r#"["1", "2"]"#),
        ("res.many.*.id", r#"["1", "2"]"#),
        ("res.x[*].name", r#"["x"]"#),
        ("var.null[*]", "[]"),
        ("var.unknown[*]", "(known after apply)"),
        ("var.list[var.unknown]", "(known after apply)"),
        ("var.nothing", "error: Unsupported attribute"),
        ("nothing.at.all", "error: Unknown variable"),
    ]);
}

#[test]
fn templates() {
    check(&[
        ("\"n=${var.n}\"", r#""n=2""#),
        ("\"${var.list}\"", r#"["a", "b"]"#),
        ("\"x ${var.list}\"", "error: Invalid template interpolation value"),
        ("\"x ${var.null}\"", "error: Invalid template interpolation value"),
        ("\"id=${res.x.id}\"", "(known after apply)"),
        ("\"%{ if var.n > 1 }many%{ else }one%{ endif }\"", r#""many""#),
        ("\"%{ for x in var.list }<${x}>%{ endfor }\"", r#""<a><b>""#),
        ("\"%{ for k, v in var.map }${k}=${v};%{ endfor }\"", r#""a=1;b=2;""#),
        ("\"a   ${~ var.s ~}   b\"", r#""ahib""#),
        ("\"%{ if var.unknown == \"x\" }y%{ endif }\"", "(known after apply)"),
        ("<<EOT\nhello ${var.s}\nEOT", r#""hello hi\n""#),
        ("<<-EOT\n    indented\n      more\n    EOT", r#""indented\n  more\n""#),
    ]);
}

#[test]
fn for_expressions() {
    check(&[
        ("[for x in var.list : upper(x)]", r#"["A", "B"]"#),
        ("[for i, x in var.list : \"${i}${x}\"]", r#"["0a", "1b"]"#),
        ("{for k, v in var.map : k => v * 10}", r#"{ "a" = 10, "b" = 20 }"#),
        ("[for k, v in var.map : k if v > 1]", r#"["b"]"#),
        ("{for x in [\"a\", \"b\", \"a\"] : x => 1...}", r#"{ "a" = [1, 1], "b" = [1] }"#),
        ("{for x in [\"a\", \"a\"] : x => 1}", "error: Duplicate object key"),
        ("[for x in 5 : x]", "error: Iteration over non-iterable value"),
        ("[for x in var.null : x]", "error: Iteration over null value"),
        ("[for x in var.unknown : x]", "(known after apply)"),
        ("[for x in var.list : x if var.unknown == x]", "error: Invalid 'for' condition"),
        // The iteration variable shadows and then goes away.
        ("[for var in [1] : var]", "[1]"),
    ]);
}

#[test]
fn function_calls() {
    check(&[
        ("length(var.list)", "2"),
        ("upper(var.s)", r#""HI""#),
        ("join(\"-\", var.list)", r#""a-b""#),
        ("max(var.list...)", "error: Invalid function argument"),
        ("max([3, 5]...)", "5"),
        ("lenght(var.list)", "error: Call to unknown function"),
        ("upper()", "error: Not enough function arguments"),
        ("upper(\"a\", \"b\")", "error: Too many function arguments"),
        ("upper(var.unknown)", "(known after apply)"),
        ("upper(var.secret)", "(sensitive value)"),
        ("try(var.map.c, \"fallback\")", r#""fallback""#),
        ("try(var.map.a, \"fallback\")", "1"),
        ("try(res.x.id, \"fallback\")", "(known after apply)"),
        ("try(var.map.c, var.map.d)", "error: Error in function call"),
        ("can(var.map.c)", "false"),
        ("can(var.map.a)", "true"),
        ("can(res.x.id)", "(known after apply)"),
        ("templatefile(\"no-such-file.tpl\", {})", "error: Error in function call"),
        ("provider::x::f()", "error: Call to unknown function"),
    ]);
}

#[test]
fn templatefile_renders_with_only_its_variables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.tpl"), "%{ for h in hosts ~}\n${h} ${port}\n%{ endfor ~}\n").unwrap();
    let expr =
        hcl::edit::parser::parse_expr("templatefile(\"t.tpl\", { hosts = [\"a\", \"b\"], port = var.n })").unwrap();
    let context = EvalContext {
        file: FileId(0),
        scope: Arc::new(scope()),
        extra: BTreeMap::new(),
        functions: FunctionContext { base_dir: dir.path().to_path_buf() },
    };
    assert_eq!(context.eval(&expr).unwrap(), Value::from("a 2\nb 2\n"));
    // Names outside `vars` are not visible inside the template.
    std::fs::write(dir.path().join("bad.tpl"), "${var.n}").unwrap();
    let expr = hcl::edit::parser::parse_expr("templatefile(\"bad.tpl\", {})").unwrap();
    let error = context.eval(&expr).unwrap_err();
    assert_eq!(error.summary, "Error in function call");
    assert!(error.detail.contains("Unknown variable"), "{}", error.detail);
}

#[test]
fn references_skip_bound_names() {
    let expr = hcl::edit::parser::parse_expr(
        "concat([for x in var.list : x.id if local.keep], [res.a.b[0].c, res.many[*].id])",
    )
    .unwrap();
    let found: Vec<String> = strata_eval::references(&expr, FileId(0))
        .into_iter()
        .map(|r| format!("{}{}", r.root, r.steps.iter().map(|s| format!(".{}", s.name())).collect::<String>()))
        .collect();
    assert_eq!(found, ["var.list", "local.keep", "res.a.b.0.c", "res.many"]);
}

#[test]
fn type_constraints() {
    let rows = [
        ("string", Ok("string")),
        ("list(map(number))", Ok("list(map(number))")),
        ("object({ a = string, b = optional(number, 1) })", Ok("object({ a = string, b = optional(number) })")),
        ("tuple([string, bool])", Ok("tuple([string, bool])")),
        ("lisst(string)", Err("Invalid type specification")),
        ("optional(string)", Err("Invalid type specification")),
        ("\"string\"", Err("Invalid type specification")),
    ];
    for (source, want) in rows {
        let expr = hcl::edit::parser::parse_expr(source).unwrap();
        let got = strata_eval::parse_type_constraint(&expr, FileId(0)).map(|t| t.to_string()).map_err(|d| d.summary);
        assert_eq!(got.as_deref().map_err(String::as_str), want, "{source}");
    }
}
