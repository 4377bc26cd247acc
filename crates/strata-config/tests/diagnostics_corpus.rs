//! The diagnostics corpus: every file under `testdata/diagnostics/` marks the diagnostics it
//! must produce inline, as `# ERROR: <summary>` (or `# WARNING: <summary>`) at the end of the
//! line where the diagnostic's subject starts. The file must produce exactly those: nothing
//! missing, nothing extra.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use strata_config::{InputValues, load_files, validate};
use strata_diagnostics::{Diagnostics, Severity, SourceFiles};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/diagnostics")
}

/// (line, severity, summary) triples.
type Expectations = BTreeSet<(usize, &'static str, String)>;

fn expected(text: &str) -> Expectations {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        for (marker, severity) in [("# ERROR: ", "error"), ("# WARNING: ", "warning")] {
            if let Some(pos) = line.find(marker) {
                out.insert((i + 1, severity, line[pos + marker.len()..].trim().to_owned()));
            }
        }
    }
    out
}

fn actual(diags: &Diagnostics, files: &SourceFiles) -> Expectations {
    diags
        .iter()
        .map(|d| {
            let line = d.subject.and_then(|s| files.get(s.file).map(|f| f.position(s.start).line)).unwrap_or(0);
            let severity = if d.severity == Severity::Error { "error" } else { "warning" };
            (line, severity, d.summary.clone())
        })
        .collect()
}

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut files = SourceFiles::new();
    let mut diags = Diagnostics::new();
    let dir = path.parent().unwrap_or(Path::new("."));
    let config = load_files(dir, vec![(name.clone(), text.clone())], &mut files, &mut diags);
    let values = InputValues::default().resolve(&config.root.module.variables, &mut diags);
    diags.extend(validate(&config, &strata_schema::builtin_catalog(), &values));

    // Every diagnostic must carry a detail and point into the file.
    for d in &diags {
        if d.detail.trim().is_empty() {
            return Err(format!("{name}: diagnostic \"{}\" has no detail", d.summary));
        }
    }
    let want = expected(&text);
    let got = actual(&diags, &files);
    if want == got {
        return Ok(());
    }
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    let details: Vec<String> =
        diags.iter().map(|d| format!("    {}: {} {:?}", d.summary, d.detail, d.subject)).collect();
    Err(format!("{name}:\n  missing: {missing:?}\n  unexpected: {extra:?}\n  all diagnostics:\n{}", details.join("\n")))
}

#[test]
fn diagnostics_corpus() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hcl"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 40, "the corpus should cover every kind of mistake");
    let failures: Vec<String> = paths.iter().filter_map(|p| check(p).err()).collect();
    assert!(failures.is_empty(), "{} of {} corpus files failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
}

/// Inputs the fuzzer once broke (`testdata/fuzz-regressions/`, all but the formatter's `fmt_*`
/// cases): loading and validating them must finish without panicking, and every diagnostic
/// must render.
#[test]
fn fuzz_regressions_load_and_validate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fuzz-regressions");
    let empty = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("fmt_") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let mut files = SourceFiles::new();
        let mut diags = Diagnostics::new();
        let config = load_files(empty.path(), vec![(name, text)], &mut files, &mut diags);
        let values = InputValues::default().resolve(&config.root.module.variables, &mut diags);
        diags.extend(validate(&config, &strata_schema::builtin_catalog(), &values));
        for d in &diags {
            strata_diagnostics::JsonDiagnostic::new(d, &files);
        }
    }
}

/// The module fixtures of the engine tests (`testdata/engine/module-*/main.hcl`) follow the
/// same convention: the valid ones produce no diagnostic, the invalid ones exactly those marked.
#[test]
fn engine_module_fixtures() {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine");
    let fixtures = [
        "module-repetition",
        "module-providers",
        "module-providers-invalid",
        "module-moved/before",
        "module-moved/after",
        "module-moved/invalid",
    ];
    let failures: Vec<String> =
        fixtures.iter().filter_map(|fixture| check(&engine.join(fixture).join("main.hcl")).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
