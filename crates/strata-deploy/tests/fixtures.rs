//! The data-driven tests of everything pure: `testdata/deploy/`.
//!
//! - `facts/*.json`: `{"fact": {<kind>: {…}}, "stdout": "…", "expected": <value>}`, or
//!   `"error": "<part of the message>"` instead of `expected`.
//! - `operations/*.json`: `{"operation": <kind>, "facts": …, "desired": …, "expected": [steps]}`,
//!   or `"error"`. An empty `expected` is the proof of idempotence.
//! - `script/*.json`: combining fact commands into one script and splitting its output:
//!   `{"token", "commands", "script", "stdout", "stderr", "sections"}` (or `"error"`), and with
//!   `"run_locally": true` the script is also run by `/bin/sh` here and split the same way.
//!
//! `STRATA_BLESS=1` rewrites `expected`/`script`/`sections` from the actual results; review
//! the diff.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use strata_deploy::ServiceSpec;
use strata_deploy::facts::{
    DirectoryFact, DirectoryState, Fact, FileFact, FileState, LinkFact, LinkState, ListeningPortsFact, MarkerFact,
    OsReleaseFact, PidFileFact, ServiceStatusFact, SupervisorFact, script,
};
use strata_deploy::operations::{self, ArchiveSpec, DirectorySpec, FileSpec, ServiceFacts, SymlinkSpec};

fn testdata(area: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/deploy").join(area)
}

fn blessing() -> bool {
    std::env::var_os("STRATA_BLESS").is_some_and(|value| value == "1")
}

/// Runs `check` on every fixture of an area; reports all failures at once.
fn check_all(area: &str, check: impl Fn(&Path, &mut Value) -> Result<(), String>) {
    let mut paths: Vec<PathBuf> = fs::read_dir(testdata(area))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {area}");
    let mut failures = Vec::new();
    for path in &paths {
        let text = fs::read_to_string(path).unwrap();
        let mut fixture: Value =
            serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        match check(path, &mut fixture) {
            Ok(()) if blessing() => fs::write(path, serde_json::to_string_pretty(&fixture).unwrap() + "\n").unwrap(),
            Ok(()) => {}
            Err(message) => failures.push(format!("{}: {message}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), paths.len(), failures.join("\n\n"));
}

fn field<T: DeserializeOwned>(fixture: &Value, name: &str) -> Result<T, String> {
    serde_json::from_value(fixture.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|error| format!("field `{name}`: {error}"))
}

/// Compares an actual result with the fixture's `expected` or `error`; blessing rewrites it.
fn compare(fixture: &mut Value, actual: Result<Value, String>) -> Result<(), String> {
    let object = fixture.as_object_mut().unwrap();
    if blessing() {
        object.remove("expected");
        object.remove("error");
        match actual {
            Ok(value) => object.insert("expected".to_owned(), value),
            Err(message) => object.insert("error".to_owned(), Value::String(message)),
        };
        return Ok(());
    }
    match (actual, object.get("expected"), object.get("error")) {
        (Ok(actual), Some(expected), None) if actual == *expected => Ok(()),
        (Ok(actual), Some(expected), None) => Err(format!(
            "expected {}\n   found {}",
            serde_json::to_string_pretty(expected).unwrap(),
            serde_json::to_string_pretty(&actual).unwrap()
        )),
        (Err(message), None, Some(Value::String(expected))) if message.contains(expected.as_str()) => Ok(()),
        (Ok(actual), None, Some(expected)) => Err(format!("expected error {expected}, found {actual}")),
        (Err(message), _, _) => Err(format!("unexpected error: {message}")),
        _ => Err("a fixture needs exactly one of `expected` and `error`".to_owned()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AnyFact {
    File(FileFact),
    Directory(DirectoryFact),
    Link(LinkFact),
    Marker(MarkerFact),
    PidFile(PidFileFact),
    ListeningPorts(ListeningPortsFact),
    OsRelease(OsReleaseFact),
    Supervisor(SupervisorFact),
    ServiceStatus(ServiceStatusFact),
}

fn parse_with<F: Fact>(fact: &F, stdout: &str) -> Result<Value, String>
where
    F::Value: serde::Serialize,
{
    fact.parse(stdout).map(|value| serde_json::to_value(value).unwrap()).map_err(|error| error.to_string())
}

#[test]
fn facts_parse_their_output() {
    check_all("facts", |_, fixture| {
        let fact: AnyFact = field(fixture, "fact")?;
        let stdout: String = field(fixture, "stdout")?;
        let actual = match &fact {
            AnyFact::File(fact) => parse_with(fact, &stdout),
            AnyFact::Directory(fact) => parse_with(fact, &stdout),
            AnyFact::Link(fact) => parse_with(fact, &stdout),
            AnyFact::Marker(fact) => parse_with(fact, &stdout),
            AnyFact::PidFile(fact) => parse_with(fact, &stdout),
            AnyFact::ListeningPorts(fact) => parse_with(fact, &stdout),
            AnyFact::OsRelease(fact) => parse_with(fact, &stdout),
            AnyFact::Supervisor(fact) => parse_with(fact, &stdout),
            AnyFact::ServiceStatus(fact) => parse_with(fact, &stdout),
        };
        compare(fixture, actual)
    });
}

#[test]
fn operations_plan_steps_from_facts() {
    check_all("operations", |_, fixture| {
        let operation: String = field(fixture, "operation")?;
        let steps = match operation.as_str() {
            "file" => operations::file(&field::<FileState>(fixture, "facts")?, &field::<FileSpec>(fixture, "desired")?),
            "directory" => operations::directory(
                &field::<DirectoryState>(fixture, "facts")?,
                &field::<DirectorySpec>(fixture, "desired")?,
            ),
            "symlink" => {
                operations::symlink(&field::<LinkState>(fixture, "facts")?, &field::<SymlinkSpec>(fixture, "desired")?)
            }
            "archive" => operations::archive(
                &field::<Option<String>>(fixture, "facts")?,
                &field::<ArchiveSpec>(fixture, "desired")?,
            ),
            "service" => operations::service(
                &field::<ServiceFacts>(fixture, "facts")?,
                &field::<ServiceSpec>(fixture, "desired")?,
            ),
            other => return Err(format!("unknown operation {other:?}")),
        };
        compare(fixture, steps.map(|steps| serde_json::to_value(steps).unwrap()).map_err(|error| error.to_string()))
    });
}

#[test]
fn fact_scripts_combine_and_split() {
    check_all("script", |path, fixture| {
        let token: String = field(fixture, "token")?;
        let commands: Vec<String> = field(fixture, "commands")?;
        let combined = script::combine(&commands, &token);
        let object = fixture.as_object_mut().unwrap();
        if blessing() {
            object.insert("script".to_owned(), Value::String(combined.clone()));
        } else if object.get("script") != Some(&Value::String(combined.clone())) {
            return Err(format!("the combined script differs; found:\n{combined}"));
        }

        let split = |stdout: &str, stderr: &str| {
            script::split(stdout, stderr, &token, commands.len())
                .map(|sections| {
                    sections
                        .iter()
                        .map(|section| {
                            json!({"exit_code": section.exit_code, "stdout": section.stdout, "stderr": section.stderr})
                        })
                        .collect::<Value>()
                })
                .map_err(|error| error.to_string())
        };
        let run_locally = fixture.get("run_locally") == Some(&Value::Bool(true));
        let local = run_locally.then(|| {
            let output = Command::new("/bin/sh").arg("-c").arg(&combined).output().unwrap();
            (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
        });
        if blessing()
            && let Some((stdout, stderr)) = &local
        {
            let object = fixture.as_object_mut().unwrap();
            object.insert("stdout".to_owned(), Value::String(stdout.clone()));
            object.insert("stderr".to_owned(), Value::String(stderr.clone()));
        }
        let stdout: String = field(fixture, "stdout")?;
        let stderr: String = field(fixture, "stderr")?;
        let actual = split(&stdout, &stderr);
        if let Some((local_stdout, local_stderr)) = &local {
            let from_shell = split(local_stdout, local_stderr);
            if from_shell != actual {
                return Err(format!(
                    "{}: /bin/sh gave {from_shell:?}, the fixture's output {actual:?}",
                    path.display()
                ));
            }
        }
        compare(fixture, actual)
    });
}
