//! Fuzz target: load one `main.hcl` from arbitrary text, resolve its variables with no
//! values given, validate it against the builtin schemas, and render every diagnostic as
//! JSON. None of these steps may panic, whatever the input.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use strata_config::InputValues;
use strata_diagnostics::{Diagnostics, JsonDiagnostic, SourceFiles};
use strata_schema::Catalog;

/// An empty directory, made once, a few levels below one of its own so that module sources
/// like `../` or `../../` find no `*.hcl` files either: every module call fails to load.
/// Nothing is ever written there, so fuzzing processes share it.
static ROOT_DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join("strata-fuzz/a/b/c/d/root");
    std::fs::create_dir_all(&dir).expect("create the fuzz root directory");
    dir
});

static CATALOG: LazyLock<Catalog> = LazyLock::new(strata_schema::builtin_catalog);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut files = SourceFiles::new();
    let mut diags = Diagnostics::new();
    let config =
        strata_config::load_files(&ROOT_DIR, vec![("main.hcl".into(), text.to_owned())], &mut files, &mut diags);
    let values = InputValues::default().resolve(&config.root.module.variables, &mut diags);
    diags.extend(strata_config::validate(&config, &*CATALOG, &values));
    for diagnostic in diags.iter() {
        let _ = JsonDiagnostic::new(diagnostic, &files);
    }
});
