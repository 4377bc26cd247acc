//! `.ci/install-components.sh` installs exactly the artifacts the release catalog names for
//! STRATA-1.0.0: its pinned versions and sha256 must be the catalog's.

use std::path::Path;

use strata_release::Catalog;

/// The value of `NAME="..."` in the script.
fn pinned<'a>(script: &'a str, name: &str) -> &'a str {
    let prefix = format!("{name}=\"");
    script
        .lines()
        .find_map(|line| line.strip_prefix(&prefix)?.strip_suffix('"'))
        .unwrap_or_else(|| panic!("the script pins no {name}"))
}

#[test]
fn the_script_pins_the_catalogs_artifacts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.ci/install-components.sh");
    let script = std::fs::read_to_string(&path).unwrap();
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    let artifact = |component: &str, name: &str| {
        let component = release.component(component).unwrap_or_else(|| panic!("{component}"));
        component.artifacts.iter().find(|artifact| artifact.name == name).unwrap_or_else(|| panic!("{name}")).clone()
    };
    let (pyspark, py4j) = (artifact("SPARK", "pyspark"), artifact("SPARK", "py4j"));
    let zookeeper = artifact("ZOOKEEPER", "zookeeper");
    let jdbc = artifact("POSTGRESQL_JDBC", "libpostgresql-jdbc-java");
    for (name, expected) in [
        ("SPARK_VERSION", pyspark.version.as_deref()),
        ("PYSPARK_SHA256", pyspark.sha256.as_deref()),
        ("PY4J_VERSION", py4j.version.as_deref()),
        ("PY4J_SHA256", py4j.sha256.as_deref()),
        ("ZOOKEEPER_VERSION", zookeeper.version.as_deref()),
        ("JDBC_PACKAGE", jdbc.package.as_deref()),
        ("JDBC_VERSION", jdbc.version.as_deref()),
        ("JDBC_SHA256", jdbc.sha256.as_deref()),
    ] {
        assert_eq!(Some(pinned(&script, name)), expected, "{name} in {}", path.display());
    }
}
