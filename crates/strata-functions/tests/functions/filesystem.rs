//! Files read relative to `FunctionContext::base_dir`, in a temporary directory, and paths.

use strata_functions::FunctionContext;
use strata_value::{Type, Value};

use crate::{Case, b, check, check_all, check_in, list, s, secret, unknown};

fn fixture() -> (tempfile::TempDir, FunctionContext) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hello.txt"), "Hello World\n").unwrap();
    std::fs::write(dir.path().join("binary.bin"), [0xff, 0x00]).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let ctx = FunctionContext { base_dir: dir.path().to_path_buf() };
    (dir, ctx)
}

#[test]
fn files() {
    let (dir, ctx) = fixture();
    let root = dir.path().display().to_string();
    let absolute = format!("{root}/hello.txt");
    let missing = format!(
        "Call to function \"file\" failed: no file exists at \"{root}/missing.txt\"; this function works only with \
         files that are distributed as part of the configuration source code, so if this file will be created by a \
         resource in this configuration you must instead obtain this result from an attribute of that resource."
    );
    let binary = format!(
        "Call to function \"file\" failed: the contents of \"{root}/binary.bin\" are not valid UTF-8; use the \
         filebase64 function to read binary files."
    );
    let redacted = "Call to function \"file\" failed: no file exists at (sensitive value); this function works only with \
         files that are distributed as part of the configuration source code, so if this file will be created by a \
         resource in this configuration you must instead obtain this result from an attribute of that resource.";
    let directory = format!("Call to function \"fileexists\" failed: \"{root}/sub\" is a directory, not a file.");
    let cases: Vec<(&str, Vec<Value>, Result<Value, &str>)> = vec![
        ("file", vec![s("hello.txt")], Ok(s("Hello World\n"))),
        ("file", vec![s(&absolute)], Ok(s("Hello World\n"))),
        ("file", vec![s("missing.txt")], Err(&missing)),
        ("file", vec![s("binary.bin")], Err(&binary)),
        ("file", vec![secret(s("missing.txt"))], Err(redacted)),
        ("file", vec![list([])], Err("Invalid value for \"path\": a string is required, but have a list.")),
        ("file", vec![unknown(Type::String)], Ok(unknown(Type::String))),
        ("file", vec![secret(s("hello.txt"))], Ok(secret(s("Hello World\n")))),
        ("filebase64", vec![s("binary.bin")], Ok(s("/wA="))),
        ("fileexists", vec![s("hello.txt")], Ok(b(true))),
        ("fileexists", vec![s("missing.txt")], Ok(b(false))),
        ("fileexists", vec![s("sub")], Err(&directory)),
        ("fileexists", vec![unknown(Type::String)], Ok(unknown(Type::Bool))),
        ("fileexists", vec![secret(s("hello.txt"))], Ok(secret(b(true)))),
    ];
    for (name, args, expected) in cases {
        check_in(&ctx, name, args, expected);
    }
}

#[test]
fn paths() {
    let cases: Vec<Case> = vec![
        ("basename", vec![s("foo/bar/baz.txt")], Ok(s("baz.txt"))),
        ("basename", vec![s("foo/bar/")], Ok(s("bar"))),
        ("basename", vec![s("/")], Ok(s("/"))),
        ("basename", vec![s("")], Ok(s("."))),
        ("dirname", vec![s("foo/bar/baz.txt")], Ok(s("foo/bar"))),
        ("dirname", vec![s("baz.txt")], Ok(s("."))),
        ("dirname", vec![s("/baz.txt")], Ok(s("/"))),
        ("dirname", vec![s("a//b/../c/d")], Ok(s("a/c"))),
        ("abspath", vec![s("/x/./y/../z/")], Ok(s("/x/z"))),
        ("abspath", vec![s("/../a")], Ok(s("/a"))),
        ("basename", vec![Value::Null], Err("Invalid value for \"path\": argument must not be null.")),
    ];
    check_all(cases);
}

#[test]
fn relative_abspath_starts_at_the_current_directory() {
    let here = std::env::current_dir().unwrap().display().to_string();
    check("abspath", vec![s("sub/file.txt")], Ok(s(&format!("{here}/sub/file.txt"))));
}
