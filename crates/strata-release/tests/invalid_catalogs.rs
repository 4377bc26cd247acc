//! Broken catalogs: testdata/releases/invalid/CASE/ holds catalog files whose comments state
//! what must come out: `# ERROR: <message>` when loading fails (a message of several lines,
//! `FILE:LINE:COLUMN: what` then `hint: how to fix`, is one `# ERROR: ` line per line, in one
//! file), otherwise every `# PROBLEM: <message>` that validation reports (all of them, nothing
//! else). A case without a `TEST-1.0.0.hcl` of its own gets the shared base release in
//! testdata/releases/invalid-shared/ (what the `based_on` cases build on).

use std::path::{Path, PathBuf};

use strata_release::Catalog;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/releases/invalid");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root).unwrap().map(|entry| entry.unwrap().path()).collect();
    cases.sort();
    cases
}

fn marked<'a>(texts: &'a [(String, String)], marker: &str) -> Vec<&'a str> {
    texts.iter().flat_map(|(_, text)| text.lines().filter_map(|line| line.strip_prefix(marker))).collect()
}

/// The base release file a case may leave out.
const SHARED_BASE: &str = "TEST-1.0.0.hcl";

fn check(case: &Path) -> Result<(), String> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(case)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    if !files.iter().any(|(name, _)| name == SHARED_BASE) {
        let shared =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/releases/invalid-shared").join(SHARED_BASE);
        files.push((SHARED_BASE.to_owned(), std::fs::read_to_string(shared).unwrap()));
    }
    files.sort();
    let error_lines = marked(&files, "# ERROR: ");
    let expected_error = (!error_lines.is_empty()).then(|| error_lines.join("\n"));
    let mut expected_problems = marked(&files, "# PROBLEM: ");
    let loaded = Catalog::from_files(files.iter().map(|(name, text)| (name.as_str(), text.as_str())));
    match (loaded, expected_error) {
        (Err(error), Some(expected)) if error.to_string() == expected => Ok(()),
        (Err(error), expected) => Err(format!("load failed:\n{error}\nexpected:\n{}", expected.unwrap_or_default())),
        (Ok(_), Some(expected)) => Err(format!("loaded, expected the error:\n{expected}")),
        (Ok(catalog), None) => {
            let problems: Vec<String> = catalog.validate().iter().map(|problem| problem.message.clone()).collect();
            let mut actual: Vec<&str> = problems.iter().map(String::as_str).collect();
            actual.sort_unstable();
            expected_problems.sort_unstable();
            if expected_problems.is_empty() || actual != expected_problems {
                return Err(format!(
                    "problems:\n  {}\nexpected:\n  {}",
                    actual.join("\n  "),
                    expected_problems.join("\n  ")
                ));
            }
            Ok(())
        }
    }
}

#[test]
fn invalid_catalogs() {
    let cases = cases();
    assert!(cases.len() >= 14);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case).err().map(|error| format!("{}: {error}", case.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
