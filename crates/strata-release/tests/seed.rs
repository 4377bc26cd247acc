//! The EMR releases in the catalog are exactly the seed's: every release with its date,
//! status and notes, every component with its version, nothing lost and nothing invented.
//!
//! The seed's tables are copied under testdata/releases/seed/ (so the test runs anywhere); when
//! the shared seed sits beside the repository, the copies must still equal it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use strata_release::Catalog;

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_tsv(name: &str) -> Vec<BTreeMap<String, String>> {
    let path = repository_root().join("testdata/releases/seed").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    lines
        .filter(|line| !line.is_empty())
        .map(|line| header.iter().map(|column| column.to_string()).zip(line.split('\t').map(str::to_owned)).collect())
        .collect()
}

#[test]
fn seed_copies_match_the_shared_seed() {
    let shared = repository_root().join("../shared/seed");
    if !shared.is_dir() {
        return; // Not beside this checkout: the copies are all there is.
    }
    for name in ["emr-releases.tsv", "emr-release-components.tsv"] {
        let copy = std::fs::read(repository_root().join("testdata/releases/seed").join(name)).unwrap();
        let original = std::fs::read(shared.join(name)).unwrap();
        assert!(copy == original, "testdata/releases/seed/{name} differs from the shared seed");
    }
}

#[test]
fn emr_releases_are_exactly_the_seeds() {
    let catalog = Catalog::builtin();
    let releases = read_tsv("emr-releases.tsv");
    let components = read_tsv("emr-release-components.tsv");
    assert_eq!(releases.len(), 19);

    for row in &releases {
        let name = &row["release"];
        let release = catalog.get(name).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(release.status.as_str(), row["status"], "{name}: status");
        assert_eq!(release.notes, row["notes"], "{name}: notes");
        assert!(!release.installable, "{name}: EMR releases cannot be installed here");

        let rows: Vec<_> = components.iter().filter(|component| &component["release"] == name).collect();
        for row in &rows {
            assert_eq!(release.released, row["released"], "{name}: release date");
        }
        let expected: Vec<(String, String)> =
            rows.iter().map(|row| (row["component"].clone(), row["version"].clone())).collect();
        let actual: Vec<(String, String)> = release
            .components
            .iter()
            .map(|component| (component.display_name.clone(), component.version_as_stated()))
            .collect();
        assert_eq!(actual, expected, "{name}: components and versions, in the seed's order");
    }

    let emr_in_catalog = catalog.list().iter().filter(|release| release.name.line == "EMR").count();
    assert_eq!(emr_in_catalog, releases.len(), "the catalog has EMR releases the seed does not");
    let seed_names: Vec<&String> = components.iter().map(|row| &row["release"]).collect();
    for release in catalog.list().iter().filter(|release| release.name.line == "EMR") {
        assert!(seed_names.contains(&&release.name.to_string()), "{} is not in the seed", release.name);
    }
}
