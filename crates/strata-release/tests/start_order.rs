//! Start order: waves of services whose dependencies started in earlier waves.

use strata_release::{Catalog, StartOrder, StartOrderError};

fn waves(order: &StartOrder<'_>) -> Vec<Vec<String>> {
    order.waves().iter().map(|wave| wave.iter().map(|service| service.name.clone()).collect()).collect()
}

#[test]
fn strata_1_0_0_start_order() {
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    let check = |selection: &[&str], expected: &[&[&str]]| {
        let order = release.start_order(selection).unwrap_or_else(|error| panic!("{selection:?}: {error}"));
        assert_eq!(waves(&order), expected, "{selection:?}");
    };
    check(
        &["ZOOKEEPER", "SPARK"],
        &[&["zookeeper-server"], &["spark-master"], &["spark-worker", "spark-history-server"]],
    );
    // SPARK requires ZOOKEEPER (the masters keep their recovery state there).
    check(&["SPARK"], &[&["zookeeper-server"], &["spark-master"], &["spark-worker", "spark-history-server"]]);
    check(
        &["ZOOKEEPER", "SPARK", "SPARK_THRIFT"],
        &[
            &["zookeeper-server", "metastore-db"],
            &["spark-master"],
            &["spark-worker", "spark-history-server", "spark-thrift-server"],
        ],
    );
    check(&["POSTGRESQL"], &[&["metastore-db"]]);
    check(&["POSTGRESQL_JDBC"], &[]);

    let order = release.start_order(&["SPARK"]).unwrap();
    let stop: Vec<Vec<&str>> =
        order.stop_waves().map(|wave| wave.iter().map(|service| service.name.as_str()).collect()).collect();
    assert_eq!(stop, [vec!["spark-worker", "spark-history-server"], vec!["spark-master"], vec!["zookeeper-server"]]);
    assert_eq!(order.names(), ["zookeeper-server", "spark-master", "spark-worker", "spark-history-server"]);
}

#[test]
fn a_provided_service_is_a_met_dependency_outside_the_order() {
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    // The Thrift server with an external metastore database: no metastore-db of its own.
    let order = release.start_order_provided(&["SPARK", "SPARK_THRIFT"], &["metastore-db"]).unwrap();
    assert_eq!(
        waves(&order),
        [
            vec!["zookeeper-server"],
            vec!["spark-master"],
            vec!["spark-worker", "spark-history-server", "spark-thrift-server"]
        ]
    );
}

#[test]
fn components_for_adds_what_they_require() {
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    let keys: Vec<&str> =
        release.components_for(&["SPARK_THRIFT"]).unwrap().iter().map(|component| component.key.as_str()).collect();
    assert_eq!(keys, ["ZOOKEEPER", "SPARK", "POSTGRESQL", "POSTGRESQL_JDBC", "SPARK_THRIFT"]);
}

#[test]
fn errors_name_what_is_wrong() {
    let release = Catalog::builtin().get("STRATA-1.0.0").unwrap();
    let error = |selection: &[&str]| release.start_order(selection).unwrap_err();

    assert_eq!(
        error(&["spark-worker"]),
        StartOrderError::MissingDependency {
            service: "spark-worker".into(),
            dependency: "spark-master".into(),
            component: "SPARK".into(),
        }
    );
    assert_eq!(
        error(&["spark-worker"]).to_string(),
        "service `spark-worker` depends on `spark-master`, which is not among the chosen services; add its component SPARK"
    );
    assert_eq!(
        error(&["ZOOKEEPER", "SPRAK"]).to_string(),
        "release STRATA-1.0.0 has no component or service `SPRAK`; did you mean `SPARK`?"
    );
    assert!(matches!(error(&["HDFS"]), StartOrderError::UnknownName { suggestion: None, .. }));
}

#[test]
fn emr_3_2_0_follows_the_ambari_order() {
    let release = Catalog::builtin().get("EMR-3.2.0").unwrap();
    let order = release.full_start_order().unwrap();
    let names = order.names();
    let position =
        |name: &str| names.iter().position(|found| *found == name).unwrap_or_else(|| panic!("{name} missing"));
    let before = [
        ("zookeeper-server", "hbase-master"),
        ("namenode", "datanode"),
        ("namenode", "resourcemanager"),
        ("resourcemanager", "nodemanager"),
        ("resourcemanager", "mapreduce-historyserver"),
        ("resourcemanager", "yarn-timelineserver"),
        ("namenode", "hive-metastore"),
        ("hive-metastore", "hiveserver2"),
        ("hbase-master", "hbase-regionserver"),
        ("hive-metastore", "presto-coordinator"),
        ("presto-coordinator", "presto-worker"),
        ("zookeeper-server", "storm-nimbus"),
        ("storm-nimbus", "storm-supervisor"),
        ("gmond", "gmetad"),
    ];
    for (first, then) in before {
        assert!(position(first) < position(then), "{first} must start before {then}: {names:?}");
    }
    assert_eq!(waves(&order)[0], ["namenode", "zeppelin-server", "zookeeper-server", "gmond"]);
}

#[test]
fn a_cycle_is_reported_with_its_path() {
    let release_text = r#"
name        = "TEST-1.0.0"
released    = "2026-11"
status      = "current"
notes       = "A cycle."

component "A" {
  display_name = "A"
  version      = "1"
  roles        = ["MASTER"]

  service "first" {
    roles      = ["MASTER"]
    start      = "true"
    depends_on = ["third"]
    health {
      kind = "process"
    }
  }
  service "second" {
    roles      = ["MASTER"]
    start      = "true"
    depends_on = ["first"]
    health {
      kind = "process"
    }
  }
  service "third" {
    roles      = ["MASTER"]
    start      = "true"
    depends_on = ["second"]
    health {
      kind = "process"
    }
  }
  service "outside" {
    roles = ["MASTER"]
    start = "true"
    health {
      kind = "process"
    }
  }
}
"#;
    let catalog = Catalog::from_files([("TEST-1.0.0.hcl", release_text)]).unwrap();
    let release = catalog.get("TEST-1.0.0").unwrap();
    let error = release.start_order(&["A"]).unwrap_err();
    assert_eq!(error.to_string(), "services depend on each other in a cycle: first -> third -> second -> first");
}
