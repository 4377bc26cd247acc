//! `merge_config` fixtures: testdata/releases/merge-config/NAME.hcl holds `format`, `defaults`
//! (in file order), `values` (the user's) and, for a failure, `error`; NAME.expected holds the
//! rendered file. `STRATA_BLESS=1` rewrites the .expected files; review the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use strata_release::{ConfigFormat, merge_config};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/releases/merge-config")
}

fn bless() -> bool {
    std::env::var_os("STRATA_BLESS").is_some_and(|value| value == "1")
}

fn entries(value: Option<&hcl::Value>) -> Vec<(String, String)> {
    let Some(hcl::Value::Object(object)) = value else { return Vec::new() };
    object.iter().map(|(key, value)| (key.clone(), value.as_str().expect("string values").to_owned())).collect()
}

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
    let fixture: hcl::Value = hcl::from_str(&text).map_err(|error| error.to_string())?;
    let field = |name: &str| fixture.as_object().and_then(|object| object.get(name));
    let format_name = field("format").and_then(hcl::Value::as_str).ok_or("no format")?;
    let format = ConfigFormat::parse(format_name).ok_or_else(|| format!("unknown format {format_name}"))?;
    let defaults = entries(field("defaults"));
    let values: BTreeMap<String, String> = entries(field("values")).into_iter().collect();
    let result = merge_config(&defaults, &values, format);

    if let Some(expected_error) = field("error").and_then(hcl::Value::as_str) {
        return match result {
            Err(error) if error.to_string() == expected_error => Ok(()),
            Err(error) => Err(format!("error `{error}`, expected `{expected_error}`")),
            Ok(rendered) => Err(format!("rendered instead of failing:\n{rendered}")),
        };
    }
    let rendered = result.map_err(|error| error.to_string())?;
    let expected_path = path.with_extension("expected");
    if bless() {
        std::fs::write(&expected_path, &rendered).map_err(|error| error.to_string())?;
        return Ok(());
    }
    let expected =
        std::fs::read_to_string(&expected_path).map_err(|error| format!("{}: {error}", expected_path.display()))?;
    if rendered != expected {
        return Err(format!("rendered:\n{rendered}\nexpected:\n{expected}"));
    }
    Ok(())
}

#[test]
fn merge_config_fixtures() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "hcl"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "fixtures missing");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            check(path).err().map(|error| format!("{}: {error}", path.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
