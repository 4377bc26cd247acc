//! Releases written as their base plus the changes (`based_on`): such a release is its base
//! with exactly the patched values changed. The refused patches are in
//! testdata/releases/invalid/ (`based-on-*`, `patch-*`, `component-already-in-base`).

use strata_release::{
    Artifact, ArtifactKind, Catalog, Component, HealthCheck, Release, ReleaseName, ReleaseStatus, Role, Service,
};

const BASE: &str = r#"
name        = "TEST-1.0.0"
released    = "2026-11"
status      = "superseded"
installable = true
notes       = "The base."

component "A" {
  display_name = "A"
  version      = "1.0"
  roles        = ["MASTER"]
  install      = ["tar -xzf {artifact_dir}/a-{version}.tgz"]

  artifact "a" {
    kind   = "archive"
    url    = "https://example.org/a-{version}.tgz"
    sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
  }

  artifact "old" {
    kind    = "system"
    package = "old"
    version = "1"
  }

  artifact "tool" {
    kind    = "system"
    package = "tool"
    version = "1"
  }

  service "a-server" {
    roles        = ["MASTER"]
    start        = "{home}/bin/a"
    config_files = ["a.conf"]
    health {
      kind = "process"
    }
  }

  config "a.conf" {
    path   = "/etc/a.conf"
    format = "key-value"
    defaults = {
      "a.port"    = "1"
      "a.timeout" = "2"
      "a.memory"  = "3"
    }
  }
}

component "B" {
  display_name = "B"
  version      = "2.0"
  roles        = ["MASTER", "CORE"]
  requires     = ["A"]
}
"#;

const FIX: &str = r#"
name        = "TEST-1.0.1"
based_on    = "TEST-1.0.0"
released    = "2026-12"
status      = "current"
installable = true
notes       = "The fix."

patch "A" {
  version          = "1.1"
  remove_artifacts = ["old"]

  artifact "tool" {
    kind    = "system"
    package = "tool"
    version = "9"
  }

  add_artifact "extra" {
    kind    = "system"
    package = "extra"
    version = "1"
  }

  service "a-server" {
    roles        = ["MASTER"]
    start        = "{home}/bin/a --fixed"
    config_files = ["a.conf"]
    health {
      kind = "process"
    }
  }

  config "a.conf" {
    set_defaults    = { "a.memory" = "4" }
    remove_defaults = ["a.timeout"]
    add_defaults    = { "a.new" = "5" }
  }
}

component "C" {
  display_name = "C"
  version      = "3.0"
  roles        = ["GATEWAY"]
}
"#;

/// A fix of the fix: patches build on the patched release.
const SECOND_FIX: &str = r#"
name     = "TEST-1.0.2"
based_on = "TEST-1.0.1"
released = "2027-01"
status   = "current"
notes    = "The second fix."

patch "A" {
  config "a.conf" {
    set_defaults = { "a.new" = "6" }
  }
}
"#;

fn catalog(files: &[(&str, &str)]) -> Catalog {
    Catalog::from_files(files.iter().copied()).unwrap_or_else(|error| panic!("{error}"))
}

/// `release` with the release-level fields of another file.
fn renamed(release: &Release, name: &str, released: &str, status: ReleaseStatus, notes: &str) -> Release {
    Release {
        name: ReleaseName::parse(name).unwrap(),
        released: released.to_owned(),
        status,
        notes: notes.to_owned(),
        source_file: format!("{name}.hcl"),
        ..release.clone()
    }
}

fn component<'a>(release: &'a mut Release, key: &str) -> &'a mut Component {
    release.components.iter_mut().find(|component| component.key == key).unwrap()
}

#[test]
fn a_based_on_release_is_its_base_with_the_patched_values() {
    let catalog = catalog(&[("TEST-1.0.0.hcl", BASE), ("TEST-1.0.1.hcl", FIX)]);
    let base = catalog.get("TEST-1.0.0").unwrap();

    let mut expected = renamed(base, "TEST-1.0.1", "2026-12", ReleaseStatus::Current, "The fix.");
    let a = component(&mut expected, "A");
    // `{version}` is filled in after patching: the base's templates see the new version.
    a.version = "1.1".to_owned();
    a.install = vec!["tar -xzf {artifact_dir}/a-1.1.tgz".to_owned()];
    a.artifacts[0].url = Some("https://example.org/a-1.1.tgz".to_owned());
    a.artifacts.remove(1);
    a.artifacts[1] = Artifact {
        name: "tool".to_owned(),
        kind: ArtifactKind::System,
        url: None,
        package: Some("tool".to_owned()),
        version: Some("9".to_owned()),
        sha256: None,
        size: None,
        checksum_source: None,
    };
    a.artifacts.push(Artifact {
        name: "extra".to_owned(),
        kind: ArtifactKind::System,
        url: None,
        package: Some("extra".to_owned()),
        version: Some("1".to_owned()),
        sha256: None,
        size: None,
        checksum_source: None,
    });
    a.services[0].start = "{home}/bin/a --fixed".to_owned();
    a.config_files[0].defaults = [("a.port", "1"), ("a.memory", "4"), ("a.new", "5")]
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .to_vec();
    let mut c = base.components[1].clone();
    (c.key, c.display_name, c.version, c.roles, c.requires) =
        ("C".to_owned(), "C".to_owned(), "3.0".to_owned(), vec![Role::Gateway], Vec::new());
    expected.components.push(c);

    assert_eq!(catalog.get("TEST-1.0.1").unwrap(), &expected);
    assert!(catalog.validate().is_empty(), "{:?}", catalog.validate());
}

#[test]
fn release_level_fields_are_not_inherited() {
    let catalog = catalog(&[("TEST-1.0.0.hcl", BASE), ("TEST-1.0.1.hcl", FIX), ("TEST-1.0.2.hcl", SECOND_FIX)]);
    let (base, second) = (catalog.get("TEST-1.0.0").unwrap(), catalog.get("TEST-1.0.2").unwrap());
    assert!(base.installable);
    assert!(!second.installable, "`installable` is stated per file; TEST-1.0.2 does not say it");
    assert_eq!(second.description, None);
}

#[test]
fn patches_build_on_a_patched_base_whatever_the_file_order() {
    let in_order = catalog(&[("TEST-1.0.0.hcl", BASE), ("TEST-1.0.1.hcl", FIX), ("TEST-1.0.2.hcl", SECOND_FIX)]);
    let reversed = catalog(&[("TEST-1.0.2.hcl", SECOND_FIX), ("TEST-1.0.1.hcl", FIX), ("TEST-1.0.0.hcl", BASE)]);
    assert_eq!(in_order, reversed);

    let fix = in_order.get("TEST-1.0.1").unwrap();
    let mut expected = renamed(fix, "TEST-1.0.2", "2027-01", ReleaseStatus::Current, "The second fix.");
    expected.installable = false;
    component(&mut expected, "A").config_files[0].defaults[2].1 = "6".to_owned();
    assert_eq!(in_order.get("TEST-1.0.2").unwrap(), &expected);
}

/// A component is replaced whole by removing it and writing it again; services are added and
/// removed like artifacts.
const REPLACE: &str = r#"
name              = "TEST-1.0.1"
based_on          = "TEST-1.0.0"
released          = "2026-12"
status            = "current"
notes             = ""
remove_components = ["B"]

patch "A" {
  remove_services = ["a-server"]

  add_service "a-helper" {
    roles = ["MASTER"]
    start = "true"
    health {
      kind = "process"
    }
  }
}

component "B" {
  display_name = "B, rewritten"
  version      = "2.1"
  roles        = ["CORE"]
}
"#;

#[test]
fn components_are_replaced_and_services_added_and_removed() {
    let catalog = catalog(&[("TEST-1.0.0.hcl", BASE), ("TEST-1.0.1.hcl", REPLACE)]);
    let base = catalog.get("TEST-1.0.0").unwrap();
    let mut expected = renamed(base, "TEST-1.0.1", "2026-12", ReleaseStatus::Current, "");
    expected.installable = false;
    component(&mut expected, "A").services = vec![Service {
        name: "a-helper".to_owned(),
        component: "A".to_owned(),
        roles: vec![Role::Master],
        start: "true".to_owned(),
        stop: None,
        environment: Vec::new(),
        init: Vec::new(),
        post_start: Vec::new(),
        depends_on: Vec::new(),
        health: HealthCheck::Process,
        start_timeout_seconds: 60,
        ports: Vec::new(),
        config_files: Vec::new(),
    }];
    *component(&mut expected, "B") = Component {
        key: "B".to_owned(),
        display_name: "B, rewritten".to_owned(),
        version: "2.1".to_owned(),
        version_uncertain: false,
        upstream_version: None,
        description: String::new(),
        home: None,
        roles: vec![Role::Core],
        requires: Vec::new(),
        install: Vec::new(),
        artifacts: Vec::new(),
        services: Vec::new(),
        config_files: Vec::new(),
        notes: None,
    };
    assert_eq!(catalog.get("TEST-1.0.1").unwrap(), &expected);
}

/// The builtin fix release, whole: STRATA-1.0.0 with four more spark-defaults.conf defaults.
#[test]
fn strata_1_0_1_is_strata_1_0_0_with_the_fixed_spark_defaults() {
    let catalog = Catalog::builtin();
    let (old, new) = (catalog.get("STRATA-1.0.0").unwrap(), catalog.get("STRATA-1.0.1").unwrap());
    let mut expected = renamed(old, "STRATA-1.0.1", "2026-11", ReleaseStatus::Current, &new.notes);
    let spark = component(&mut expected, "SPARK");
    let defaults = &mut spark.config_files.iter_mut().find(|file| file.name == "spark-defaults.conf").unwrap().defaults;
    defaults.extend(
        [
            ("spark.history.fs.cleaner.enabled", "true"),
            ("spark.history.fs.cleaner.maxAge", "7d"),
            ("spark.decommission.enabled", "true"),
            ("spark.storage.decommission.enabled", "true"),
        ]
        .map(|(key, value)| (key.to_owned(), value.to_owned())),
    );
    assert_eq!(new, &expected);
}
