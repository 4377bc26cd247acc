//! The builtin catalog: it loads, every release passes validation, lookups and listings.

use std::path::Path;

use strata_release::{ArtifactKind, BUILTIN_FILES, Catalog, ReleaseName, ReleaseStatus, Role};

#[test]
fn every_builtin_release_is_valid() {
    let problems = Catalog::builtin().validate();
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "problems in the builtin catalog:\n{}", listed.join("\n"));
}

#[test]
fn every_catalog_file_is_compiled_in() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let mut on_disk: Vec<String> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".hcl"))
        .collect();
    on_disk.sort();
    let mut compiled: Vec<String> = BUILTIN_FILES.iter().map(|(name, _)| (*name).to_owned()).collect();
    compiled.sort();
    assert_eq!(compiled, on_disk, "BUILTIN_FILES must list every file of catalog/");
}

#[test]
fn list_is_sorted_by_line_then_version() {
    let names: Vec<String> = Catalog::builtin().list().iter().map(|release| release.name.to_string()).collect();
    assert_eq!(names.len(), 21);
    assert_eq!(names.first().map(String::as_str), Some("EMR-1.0.0"));
    assert_eq!(names[18], "EMR-3.2.0");
    assert_eq!(names[19], "STRATA-1.0.0");
    assert_eq!(names[20], "STRATA-1.0.1");
    assert_eq!(
        Catalog::builtin().latest("STRATA").map(|release| release.name.to_string()).as_deref(),
        Some("STRATA-1.0.1")
    );
    assert_eq!(Catalog::builtin().latest("EMR").map(|release| release.name.to_string()).as_deref(), Some("EMR-3.2.0"));
}

#[test]
fn get_suggests_near_names() {
    let catalog = Catalog::builtin();
    assert_eq!(catalog.get("STRATA-1.0.0").unwrap().name.to_string(), "STRATA-1.0.0");
    let cases = [
        ("STRATA-1.0.2", Some("did you mean `STRATA-1.0.1`?")),
        ("strata-1.0.0", Some("did you mean `STRATA-1.0.0`?")),
        ("EMR-3.2.1", Some("did you mean `EMR-3.2.0`?")),
        ("EMR-3.1.0", Some("did you mean `EMR-3.1.1`?")),
        ("HADOOP", None),
    ];
    for (name, suggestion) in cases {
        let error = catalog.get(name).unwrap_err();
        assert_eq!(error.suggestion.as_deref(), suggestion, "{name}");
    }
    assert_eq!(
        catalog.get("STRATA-1.0.2").unwrap_err().to_string(),
        "unknown release `STRATA-1.0.2`; did you mean `STRATA-1.0.1`?"
    );
}

#[test]
fn statuses_that_warn() {
    let catalog = Catalog::builtin();
    let status = |name: &str| catalog.get(name).unwrap().status;
    assert_eq!(status("EMR-3.0.0"), ReleaseStatus::Superseded);
    assert_eq!(status("EMR-2.3.0"), ReleaseStatus::NotRecommended);
    assert_eq!(status("EMR-1.0.0"), ReleaseStatus::Deprecated);
    assert!(status("EMR-3.0.0").warns() && status("EMR-1.0.0").warns());
    assert!(!status("EMR-2.3.1").warns() && !status("STRATA-1.0.1").warns());
    // STRATA-1.0.1 fixes STRATA-1.0.0, which it supersedes.
    assert_eq!(status("STRATA-1.0.0"), ReleaseStatus::Superseded);
}

#[test]
fn strata_1_0_0_components_and_checksums() {
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    assert!(release.installable);
    let versions: Vec<(&str, &str)> =
        release.components.iter().map(|component| (component.key.as_str(), component.version.as_str())).collect();
    assert_eq!(
        versions,
        [
            ("ZOOKEEPER", "3.8.0"),
            ("SPARK", "4.3.0"),
            ("POSTGRESQL", "15.18"),
            ("POSTGRESQL_JDBC", "42.5.5"),
            ("SPARK_THRIFT", "4.3.0"),
        ]
    );
    let artifact = |component: &str, name: &str| {
        release.component(component).unwrap().artifacts.iter().find(|artifact| artifact.name == name).unwrap().clone()
    };
    let pyspark = artifact("SPARK", "pyspark");
    assert_eq!(pyspark.kind, ArtifactKind::Pypi);
    assert_eq!(pyspark.sha256.as_deref(), Some("e8c517948eff7088a7aa07449aa8eafa4a15a8d50319de2525a6fd26622476c6"));
    assert_eq!(pyspark.file_name(), Some("pyspark-4.3.0.tar.gz"));
    let zookeeper = artifact("ZOOKEEPER", "zookeeper");
    assert_eq!(zookeeper.version.as_deref(), Some("3.8.0-11+deb12u2"));
    assert_eq!(zookeeper.sha256.as_deref(), Some("85b47b3c6bc99fb6c1eefac59e3f59f3d44df436c9b500b6bc9ba0871d52162f"));
    let jdbc = artifact("POSTGRESQL_JDBC", "libpostgresql-jdbc-java");
    assert_eq!(jdbc.sha256.as_deref(), Some("2092c08d8ff68fc59434fc32fa75714f38b74bfe4fd78f457765c73d47963832"));
    let postgresql = artifact("POSTGRESQL", "postgresql-15");
    assert_eq!((postgresql.kind, postgresql.version.as_deref()), (ArtifactKind::System, Some("15.18-0+deb12u1")));
    assert!(release.component("HADOOP").is_none(), "no HDFS/YARN in STRATA-1.0.0");
}

#[test]
fn services_for_roles() {
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    let names = |role| release.services_for_role(role).iter().map(|service| service.name.as_str()).collect::<Vec<_>>();
    assert_eq!(
        names(Role::Master),
        ["zookeeper-server", "spark-master", "spark-history-server", "metastore-db", "spark-thrift-server"]
    );
    assert_eq!(names(Role::Core), ["spark-worker"]);
    assert_eq!(names(Role::Task), ["spark-worker"]);
    assert!(names(Role::Gateway).is_empty());
    let gateway: Vec<&str> =
        release.components_for_role(Role::Gateway).iter().map(|component| component.key.as_str()).collect();
    assert_eq!(gateway, ["SPARK", "POSTGRESQL_JDBC"]);

    let emr = Catalog::builtin().get("EMR-3.2.0").unwrap();
    let core: Vec<&str> = emr.services_for_role(Role::Core).iter().map(|service| service.name.as_str()).collect();
    assert_eq!(core, ["datanode", "nodemanager", "hbase-regionserver", "gmond", "presto-worker", "storm-supervisor"]);
}

#[test]
fn restarts_follow_the_files_services_read() {
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    let readers = |file| release.services_reading(file).iter().map(|service| service.name.as_str()).collect::<Vec<_>>();
    assert_eq!(readers("zoo.cfg"), ["zookeeper-server"]);
    assert_eq!(
        readers("spark-defaults.conf"),
        ["spark-master", "spark-worker", "spark-history-server", "spark-thrift-server"]
    );
    assert_eq!(readers("pg_hba.conf"), ["metastore-db"]);
}

/// STRATA-1.0.1 is a fix release of STRATA-1.0.0: the same components, versions, artifacts
/// (sha256 included), install commands and services; only spark-defaults.conf gains the fixed
/// defaults (event log cleaning, graceful decommissioning). Nothing else may drift apart.
#[test]
fn strata_1_0_1_fixes_strata_1_0_0_only_in_spark_defaults() {
    let catalog = Catalog::builtin();
    let (old, new) = (catalog.get("STRATA-1.0.0").unwrap(), catalog.get("STRATA-1.0.1").unwrap());
    assert!(old.installable && new.installable);
    assert_eq!(
        ReleaseName::change(&old.name, &new.name),
        Some(strata_release::VersionChange::Patch),
        "a patch-level change"
    );
    assert_eq!(old.components.len(), new.components.len());
    for (before, after) in old.components.iter().zip(&new.components) {
        assert_eq!(
            (&before.key, &before.version, &before.artifacts, &before.install, &before.services, &before.home),
            (&after.key, &after.version, &after.artifacts, &after.install, &after.services, &after.home),
            "{}: components are STRATA-1.0.0's",
            before.key
        );
        for (file_before, file_after) in before.config_files.iter().zip(&after.config_files) {
            if file_before.name != "spark-defaults.conf" {
                assert_eq!(file_before, file_after, "{} is unchanged", file_before.name);
                continue;
            }
            let added: Vec<(&str, &str)> = file_after
                .defaults
                .iter()
                .filter(|entry| !file_before.defaults.contains(entry))
                .map(|(key, value)| (key.as_str(), value.as_str()))
                .collect();
            assert_eq!(
                added,
                [
                    ("spark.history.fs.cleaner.enabled", "true"),
                    ("spark.history.fs.cleaner.maxAge", "7d"),
                    ("spark.decommission.enabled", "true"),
                    ("spark.storage.decommission.enabled", "true"),
                ]
            );
            assert!(file_before.defaults.iter().all(|entry| file_after.defaults.contains(entry)), "nothing removed");
        }
    }
    assert!(new.notes.contains("STRATA-1.0.0's"), "the notes say whose components they are");
}
