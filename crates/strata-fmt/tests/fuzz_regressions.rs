//! Inputs the fuzzer once broke, kept in `testdata/fuzz-regressions/`. Files named `fmt_*`
//! are formatter cases: formatting must succeed or fail cleanly, and formatting the output
//! again must change nothing. (The others are load+validate cases, replayed by strata-config.)

use std::path::Path;

#[test]
fn formatter_regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fuzz-regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("fmt_") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        if let Ok(once) = strata_fmt::format_source(&source) {
            let twice = strata_fmt::format_source(&once);
            assert_eq!(twice.as_ref(), Ok(&once), "{name}: formatting is not idempotent");
        }
        checked += 1;
    }
    assert!(checked > 0, "no formatter regression inputs found in {}", dir.display());
}
