//! The seed's version semantics: a.b.c, where only a `c` change is a compatible upgrade.

use strata_release::{ReleaseName, ReleaseVersion, VersionChange};

#[test]
fn version_changes() {
    use VersionChange::*;
    // from, to, change, compatible upgrade
    let table = [
        ("3.0.0", "3.0.1", Patch, true),
        ("3.0.1", "3.0.2", Patch, true),
        ("2.4.0", "2.4.2", Patch, true),
        ("3.0.2", "3.1.1", Minor, false),
        ("3.1.1", "3.2.0", Minor, false),
        ("2.5.1", "3.0.0", Major, false),
        ("1.3.0", "2.0.0", Major, false),
        ("3.2.0", "3.2.0", Same, false),
        ("3.0.1", "3.0.0", Downgrade, false),
        ("3.0.0", "2.5.1", Downgrade, false),
        ("1.9.0", "1.10.0", Minor, false),
        ("1.0.9", "1.0.10", Patch, true),
    ];
    for (from, to, change, compatible) in table {
        let from = ReleaseVersion::parse(from).unwrap();
        let to = ReleaseVersion::parse(to).unwrap();
        assert_eq!(ReleaseVersion::change(&from, &to), change, "{from} -> {to}");
        assert_eq!(ReleaseVersion::is_compatible_upgrade(&from, &to), compatible, "{from} -> {to}");
    }
}

#[test]
fn versions_parse_strictly() {
    assert_eq!(ReleaseVersion::parse("3.10.2").unwrap(), ReleaseVersion::new(3, 10, 2));
    assert_eq!(ReleaseVersion::parse("0.0.0").unwrap().to_string(), "0.0.0");
    for bad in ["", "3", "3.2", "3.2.0.1", "3.02.0", "a.b.c", "3.2.-1", " 3.2.0", "3..0", "99999999999.0.0"] {
        assert!(ReleaseVersion::parse(bad).is_err(), "{bad:?} should not parse");
    }
}

#[test]
fn names_compare_within_a_line() {
    let name = |text: &str| ReleaseName::parse(text).unwrap();
    assert_eq!(name("EMR-3.2.0").line, "EMR");
    assert_eq!(name("STRATA-1.0.0").to_string(), "STRATA-1.0.0");
    assert!(ReleaseName::is_compatible_upgrade(&name("EMR-3.0.0"), &name("EMR-3.0.1")));
    assert!(!ReleaseName::is_compatible_upgrade(&name("EMR-3.0.2"), &name("EMR-3.1.1")));
    assert_eq!(ReleaseName::change(&name("EMR-1.0.0"), &name("STRATA-1.0.1")), None);
    assert!(name("EMR-2.5.1") < name("EMR-3.0.0"));
    assert!(name("EMR-3.9.0") < name("EMR-3.10.0"));
    for bad in ["EMR3.2.0", "emr-3.2.0", "EMR-3.2", "-3.2.0", "3EMR-1.0.0", "EMR-1.0.0-rc1"] {
        assert!(ReleaseName::parse(bad).is_err(), "{bad:?} should not parse");
    }
}
