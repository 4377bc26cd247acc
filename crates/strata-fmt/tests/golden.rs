//! Golden tests: each `testdata/fmt/NAME.in.hcl` must format to
//! `NAME.out.hcl` (generated with `terraform fmt`, see the crate docs for the
//! deliberate differences), formatting must be idempotent, and the output
//! must parse to the same structure as the input.
//!
//! `UPDATE_GOLDEN=1 cargo test -p strata-fmt` rewrites the `.out.hcl` files.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use strata_fmt::format_source;

const MINIMUM_CASES: usize = 12;

#[test]
fn golden_files() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fmt");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|value| value == "1");
    let inputs = input_files(&directory);
    assert!(inputs.len() >= MINIMUM_CASES, "expected at least {MINIMUM_CASES} cases in {}", directory.display());

    let failures: Vec<String> = inputs.iter().filter_map(|input| check(input, update).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} golden cases failed:\n\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n\n")
    );
}

fn input_files(directory: &Path) -> Vec<PathBuf> {
    let entries = fs::read_dir(directory).unwrap_or_else(|error| panic!("reading {}: {error}", directory.display()));
    let mut inputs: Vec<PathBuf> = entries
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".in.hcl"))
        .collect();
    inputs.sort();
    inputs
}

/// Checks one case; the error names the case and what went wrong.
fn check(input_path: &Path, update: bool) -> Result<(), String> {
    let name = input_path.file_name().unwrap_or_default().to_string_lossy().replace(".in.hcl", "");
    let output_path = input_path.with_file_name(format!("{name}.out.hcl"));
    let input = fs::read_to_string(input_path).map_err(|error| format!("{name}: reading input: {error}"))?;
    let formatted = format_source(&input).map_err(|error| format!("{name}: {error}"))?;

    if update {
        fs::write(&output_path, &formatted)
            .map_err(|error| format!("{name}: writing {}: {error}", output_path.display()))?;
    } else {
        let expected = fs::read_to_string(&output_path).map_err(|error| format!("{name}: reading output: {error}"))?;
        if formatted != expected {
            return Err(format!(
                "{name}: output differs from {}:\n{}",
                output_path.display(),
                diff(&expected, &formatted)
            ));
        }
    }

    let again = format_source(&formatted).map_err(|error| format!("{name}: output does not parse: {error}"))?;
    if again != formatted {
        return Err(format!("{name}: formatting is not idempotent:\n{}", diff(&formatted, &again)));
    }

    let before = support::structure(&input).map_err(|error| format!("{name}: hcl-rs rejects input: {error}"))?;
    let after = support::structure(&formatted).map_err(|error| format!("{name}: hcl-rs rejects output: {error}"))?;
    if before != after {
        return Err(format!("{name}: structure changed:\nbefore: {before:#?}\nafter: {after:#?}"));
    }
    Ok(())
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}
