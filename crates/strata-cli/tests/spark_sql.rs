//! The Spark SQL Thrift server on a real cluster (`testdata/emr/spark-sql/`), through the real
//! `strata` binary and the plugin `strata-provider-emr`: one master (ZooKeeper, the Spark
//! master and history server, PostgreSQL as the cluster's own Hive metastore, the Thrift
//! server) and one core node (a Spark worker).
//!
//! `thrift_server_answers_sql_then_nothing_is_left` (root; skipped elsewhere, required under
//! CI): plan (the Thrift server and the metastore database in the start order) → apply (the
//! server healthy: its port answers and beeline's `SELECT 1` does) → `sql_jdbc_url` is the
//! master's `jdbc:hive2://IP:10000/default` → beeline over SSH on the master creates a table,
//! inserts rows and selects them back → the table is in the master's PostgreSQL (asked from
//! this machine as `hive`, with the password of the cluster's 0600 metastore record) and its
//! files in the cluster's warehouse → no-op plan → SPARK_THRIFT removed in place (planned as
//! an update naming the services that stop; they stop, their launchers, files and the
//! metastore record go) → added again in place (the server answers again) → destroy leaves nothing: namespaces, links,
//! processes, mounts, launchers, records (the cluster's and its metastore's), shared directory.
//! Every wait is bounded; a guard destroys and collects everything when the test fails.

use std::os::unix::fs::PermissionsExt as _;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

mod support;
use support::can_make_hosts;
use support::cluster::{
    Footprint, Workspace, expect, install_components, launchers_of, metastore_tables, report, repository, run_on,
    run_on_within,
};

/// Runs of whitespace as one space, so expectations do not depend on alignment.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `testdata/emr/spark-sql` in a directory of its own (see `support::cluster::Workspace`).
fn workspace() -> Workspace {
    let config = std::fs::read_to_string(repository().join("testdata/emr/spark-sql/main.hcl")).unwrap();
    Workspace::new("local-spark", &[], &config)
}

/// The statements beeline runs, one session: a table made, rows inserted, selected back.
const SQL: &str = "CREATE TABLE people (id INT, name STRING) USING parquet; \
                   INSERT INTO people VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma'); \
                   SELECT id, name FROM people ORDER BY id";

#[test]
fn thrift_server_answers_sql_then_nothing_is_left() {
    if !can_make_hosts("the Spark SQL Thrift server test") {
        return;
    }
    install_components();
    let workspace = workspace();
    let dir = workspace.dir();
    let whole = Instant::now();
    let mut timings = Vec::new();

    let plan = flat(&expect(dir, &["plan"], 0));
    for expected in [
        "\"sql-master-0/metastore-db\" = \"running\"",
        "\"sql-master-0/spark-thrift-server\" = \"running\"",
        "[\"spark-worker\", \"spark-history-server\", \"spark-thrift-server\"]]",
        "sql_jdbc_url = (known after apply)",
        "Plan: 1 to add",
    ] {
        assert!(plan.contains(expected), "{expected:?} in:\n{plan}");
    }

    let started = Instant::now();
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("cold apply (2 hosts, PostgreSQL, the Thrift server)", started.elapsed()));
    for expected in [
        "metastore-db healthy on 1/1",
        "spark-thrift-server healthy on 1/1",
        "Resources: 1 added, 0 changed, 0 destroyed.",
    ] {
        assert!(apply.contains(expected), "{expected:?} in:\n{apply}");
    }

    let outputs: Json = serde_json::from_str(&expect(dir, &["output", "--json"], 0)).unwrap();
    let cluster = &outputs["cluster"]["value"];
    let id = cluster["id"].as_str().unwrap().to_string();
    let hosts = cluster["hosts"].as_array().unwrap().clone();
    let master = hosts.iter().find(|host| host["name"] == "sql-master-0").unwrap();
    let master_ip = master["ip"].as_str().unwrap();
    let url = format!("jdbc:hive2://{master_ip}:10000/default");
    assert_eq!(cluster["sql_jdbc_url"], url.as_str());
    assert_eq!(
        cluster["start_order"],
        serde_json::json!([
            ["zookeeper-server", "metastore-db"],
            ["spark-master"],
            ["spark-worker", "spark-history-server", "spark-thrift-server"]
        ])
    );

    // SQL through the Thrift server, with beeline on the master.
    let started = Instant::now();
    let command = format!(
        "timeout 120 /opt/strata/bin/beeline -u '{url}' -n root --silent=true --outputformat=csv2 -e \"{SQL}\""
    );
    let answer = run_on_within(cluster, master, &command, Duration::from_secs(150));
    timings.push(("beeline: CREATE TABLE, INSERT, SELECT", started.elapsed()));
    // beeline echoes the prompt and a "Result" line per statement before the SELECT's rows.
    let lines: Vec<&str> = answer.lines().map(str::trim).skip_while(|line| *line != "id,name").collect();
    assert_eq!(lines, ["id,name", "1,alpha", "2,beta", "3,gamma"], "{answer}");

    // The table's metadata is in the master's PostgreSQL, its files in the cluster's warehouse.
    let record_path = workspace.state_dir.join(format!("emr/clusters/{id}.metastore.json"));
    let mode = std::fs::metadata(&record_path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", record_path.display());
    let record: Json = serde_json::from_str(&std::fs::read_to_string(&record_path).unwrap()).unwrap();
    let password = record["password"].as_str().unwrap();
    assert_eq!(metastore_tables(master_ip, password), "people");
    let table_dir = workspace.shared_root.join(&id).join("warehouse/people");
    let files: Vec<String> = std::fs::read_dir(&table_dir)
        .unwrap_or_else(|error| panic!("{}: {error}", table_dir.display()))
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|file| file.ends_with(".parquet")), "{files:?}");
    let state = std::fs::read_to_string(dir.join("strata.state.json")).unwrap();
    assert!(!state.contains(password), "the metastore password is in the state file");

    let started = Instant::now();
    expect(dir, &["plan", "--detailed-exitcode"], 0);
    timings.push(("no-op plan (refresh over SSH)", started.elapsed()));

    // SPARK_THRIFT removed, then added again, in place: the hosts stay.
    let spark_only = ["--var", "services=[\"SPARK\"]"];
    let plan = flat(&expect(dir, &[&["plan"][..], &spark_only].concat(), 0));
    for expected in [
        "# emr_cluster.sql will be updated in-place",
        "~ services = [\"SPARK\", \"SPARK_THRIFT\"] -> [\"SPARK\"]",
        "\"sql-master-0/spark-thrift-server\" = \"running\", \"sql-master-0/zookeeper-server\" = \"running\" } -> {",
        "-> [[\"zookeeper-server\"], [\"spark-master\"], [\"spark-worker\", \"spark-history-server\"]]",
        &format!("- sql_jdbc_url = \"{url}\""),
        "Plan: 0 to add, 1 to change, 0 to destroy.",
    ] {
        assert!(plan.contains(expected), "{expected:?} in:\n{plan}");
    }
    let started = Instant::now();
    let removed = expect(dir, &[&["apply", "--auto-approve"][..], &spark_only].concat(), 0);
    timings.push(("SPARK_THRIFT removed in place", started.elapsed()));
    for expected in [
        "removed sql-master-0/spark-thrift-server, sql-master-0/metastore-db",
        "Resources: 0 added, 1 changed, 0 destroyed.",
    ] {
        assert!(removed.contains(expected), "{expected:?} in:\n{removed}");
    }
    let outputs: Json = serde_json::from_str(&expect(dir, &["output", "--json"], 0)).unwrap();
    assert_eq!(outputs["cluster"]["value"]["sql_jdbc_url"], Json::Null);
    let ids: Vec<String> = hosts.iter().map(|host| host["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(launchers_of(&ids).len(), 4, "zookeeper, master, history server, worker");
    let left = run_on(
        cluster,
        master,
        "for path in /opt/strata/spark_thrift /opt/strata/conf/spark_thrift /opt/strata/postgresql \
         /var/lib/strata/postgresql; do test -e $path && echo $path; done; true",
    );
    assert_eq!(left.trim(), "", "files of the removed components are left");
    assert!(!record_path.exists(), "the cluster's metastore record is left");
    expect(dir, &[&["plan", "--detailed-exitcode"][..], &spark_only].concat(), 0);

    let started = Instant::now();
    let added = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("SPARK_THRIFT added in place", started.elapsed()));
    for expected in [
        "adding sql-master-0/metastore-db, sql-master-0/spark-thrift-server",
        "spark-thrift-server healthy on 1/1",
        "Resources: 0 added, 1 changed, 0 destroyed.",
    ] {
        assert!(added.contains(expected), "{expected:?} in:\n{added}");
    }
    let outputs: Json = serde_json::from_str(&expect(dir, &["output", "--json"], 0)).unwrap();
    assert_eq!(outputs["cluster"]["value"]["sql_jdbc_url"], url.as_str());
    let again =
        run_on_within(cluster, master, &command.replace(SQL, "SELECT 41 + 1 AS answer"), Duration::from_secs(150));
    assert!(again.lines().any(|line| line.trim() == "42"), "{again}");
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    // Destroy leaves nothing of the cluster on the machine.
    let footprint = Footprint::of(&format!("emr-{id}"), &hosts);
    assert_eq!(footprint.launchers().len(), 6, "zookeeper, PostgreSQL, master, history and Thrift servers, worker");
    let started = Instant::now();
    let destroy = expect(dir, &["destroy", "--auto-approve"], 0);
    timings.push(("destroy", started.elapsed()));
    assert!(destroy.contains("Resources: 0 added, 0 changed, 1 destroyed."), "{destroy}");
    let records = [format!("emr/clusters/{id}.json"), format!("emr/clusters/{id}.metastore.json")];
    footprint.assert_gone(&workspace, &id, &records);
    timings.push(("the whole test", whole.elapsed()));
    report("spark-sql", &timings);
}
