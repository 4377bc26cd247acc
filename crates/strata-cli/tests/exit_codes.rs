//! `strata plan --detailed-exitcode`: 0 no changes, 1 error, 2 changes; drift detection in CI
//! depends on it being exact. Each scenario is a list of steps run in one fresh directory; every
//! `Plan` row is checked three ways: `--detailed-exitcode` gives its code, plain `plan` exits 0
//! unless it is an error, and `--json` parses with `summary.has_changes` agreeing with the code.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Exit codes of `plan --detailed-exitcode`.
const NO_CHANGES: i32 = 0;
const ERROR: i32 = 1;
const CHANGES: i32 = 2;

enum Step {
    /// `strata plan --detailed-exitcode ARGS` must exit with this code.
    Plan(&'static [&'static str], i32),
    /// A command that must succeed.
    Run(&'static [&'static str]),
    /// Overwrite a file (relative to the working directory) outside Strata.
    Write(&'static str, &'static str),
    /// Delete a file outside Strata.
    Remove(&'static str),
    /// Change a file's permission bits outside Strata.
    Chmod(&'static str, u32),
    /// Replace the configuration with the fixture `testdata/engine/NAME/main.hcl`.
    Config(&'static str),
}

use Step::*;

const APPLY: &[&str] = &["apply", "--auto-approve"];

struct Scenario {
    name: &'static str,
    /// The fixture the directory starts with.
    fixture: &'static str,
    steps: &'static [Step],
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "fresh configuration, then applied",
        fixture: "small",
        steps: &[
            Plan(&[], CHANGES),
            // Nothing in state (not even a state file): nothing to destroy, nothing drifted.
            Plan(&["--destroy"], NO_CHANGES),
            Plan(&["--refresh-only"], NO_CHANGES),
            Run(APPLY),
            Plan(&[], NO_CHANGES),
            Plan(&["--refresh-only"], NO_CHANGES),
            Plan(&["--destroy"], CHANGES),
        ],
    },
    Scenario {
        name: "content edited outside Strata",
        fixture: "small",
        steps: &[
            Run(APPLY),
            Write("files/note-1.txt", "edited by hand\n"),
            Plan(&[], CHANGES),
            Plan(&["--refresh-only"], CHANGES),
            // Without refresh the state still matches the configuration.
            Plan(&["--refresh=false"], NO_CHANGES),
            // Accepting the drift into state ends the refresh-only changes, not the real ones.
            Run(&["apply", "--refresh-only", "--auto-approve"]),
            Plan(&["--refresh-only"], NO_CHANGES),
            Plan(&[], CHANGES),
            Run(APPLY),
            Plan(&[], NO_CHANGES),
            Plan(&["--refresh-only"], NO_CHANGES),
        ],
    },
    Scenario {
        name: "file deleted outside Strata",
        fixture: "small",
        steps: &[
            Run(APPLY),
            Remove("files/note-2.txt"),
            Plan(&[], CHANGES),
            Plan(&["--refresh-only"], CHANGES),
            Run(&["apply", "--refresh-only", "--auto-approve"]),
            Plan(&["--refresh-only"], NO_CHANGES),
            Plan(&[], CHANGES),
            Run(APPLY),
            Plan(&[], NO_CHANGES),
        ],
    },
    Scenario {
        name: "mode changed outside Strata",
        fixture: "small",
        steps: &[Run(APPLY), Chmod("files/note-0.txt", 0o600), Plan(&[], CHANGES), Plan(&["--refresh-only"], CHANGES)],
    },
    Scenario {
        name: "destroyed",
        fixture: "small",
        steps: &[
            Run(APPLY),
            Plan(&["--destroy"], CHANGES),
            Run(&["destroy", "--auto-approve"]),
            // The state file is there and empty.
            Plan(&["--destroy"], NO_CHANGES),
            Plan(&["--refresh-only"], NO_CHANGES),
            Plan(&[], CHANGES),
        ],
    },
    Scenario {
        name: "configuration edited after apply",
        fixture: "small",
        steps: &[
            Run(APPLY),
            Config("invalid"),
            Plan(&[], ERROR),
            Plan(&["--destroy"], ERROR),
            Config("small"),
            Plan(&[], NO_CHANGES),
        ],
    },
    Scenario {
        name: "invalid configuration",
        fixture: "invalid",
        steps: &[Plan(&[], ERROR), Plan(&["--refresh-only"], ERROR), Plan(&["--destroy"], ERROR)],
    },
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine").join(name).join("main.hcl")
}

/// `# ERROR: summary` markers of a fixture: what its diagnostics must say.
fn expected_errors(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(name)).expect("read the fixture");
    text.lines().filter_map(|line| line.split_once("# ERROR: ")).map(|(_, summary)| summary.trim().to_owned()).collect()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_strata"));
    command.current_dir(dir).args(args).env("NO_COLOR", "1").stdin(Stdio::null());
    for (name, _) in std::env::vars() {
        if name.starts_with("STRATA_VAR_") {
            command.env_remove(name);
        }
    }
    command.output().expect("strata runs")
}

fn describe(context: &str, args: &[&str], output: &Output) -> String {
    format!(
        "{context}: strata {}: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn check_plan(dir: &Path, context: &str, flags: &[&str], code: i32, config: &str) {
    let with = |extra: &[&'static str]| -> Vec<&str> { ["plan"].iter().chain(extra).chain(flags).copied().collect() };

    let args = with(&["--detailed-exitcode"]);
    let output = run(dir, &args);
    assert_eq!(output.status.code(), Some(code), "{}", describe(context, &args, &output));
    if code == ERROR {
        let stderr = String::from_utf8_lossy(&output.stderr);
        for summary in expected_errors(config) {
            assert!(stderr.contains(&summary), "expected `{summary}`\n{}", describe(context, &args, &output));
        }
    }

    let args = with(&[]);
    let output = run(dir, &args);
    let plain = if code == ERROR { ERROR } else { NO_CHANGES };
    assert_eq!(output.status.code(), Some(plain), "without --detailed-exitcode\n{}", describe(context, &args, &output));

    for extra in [&["--json"][..], &["--json", "--detailed-exitcode"]] {
        let args = with(extra);
        let output = run(dir, &args);
        let expected = if extra.len() == 1 { plain } else { code };
        assert_eq!(output.status.code(), Some(expected), "{}", describe(context, &args, &output));
        if code == ERROR {
            continue;
        }
        let plan: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("--json output does not parse: {e}\n{}", describe(context, &args, &output)));
        assert_eq!(
            plan["summary"]["has_changes"].as_bool(),
            Some(code == CHANGES),
            "summary.has_changes disagrees with the exit code {code}\n{}",
            describe(context, &args, &output)
        );
    }
}

fn check(scenario: &Scenario) {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let mut config = scenario.fixture;
    std::fs::copy(fixture(config), dir.join("main.hcl")).expect("copy the fixture");
    for (number, step) in scenario.steps.iter().enumerate() {
        let context = format!("{} (fixture {config}), step {}", scenario.name, number + 1);
        match step {
            Plan(flags, code) => check_plan(dir, &context, flags, *code, config),
            Run(args) => {
                let output = run(dir, args);
                assert!(output.status.success(), "{}", describe(&context, args, &output));
            }
            Write(path, content) => std::fs::write(dir.join(path), content).expect("write"),
            Remove(path) => std::fs::remove_file(dir.join(path)).expect("remove"),
            Chmod(path, mode) => {
                std::fs::set_permissions(dir.join(path), std::fs::Permissions::from_mode(*mode)).expect("chmod")
            }
            Config(name) => {
                config = name;
                std::fs::copy(fixture(name), dir.join("main.hcl")).expect("copy the fixture");
            }
        }
    }
}

#[test]
fn plan_detailed_exitcode_table() {
    for scenario in SCENARIOS {
        check(scenario);
    }
}
