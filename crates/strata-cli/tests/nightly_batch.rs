//! `examples/nightly-batch` for real (root; skipped elsewhere, required under CI): one
//! `strata apply` makes a bucket with the input, a 1-master/2-worker Spark cluster, runs the
//! PySpark word count on it and releases the cluster (`lifecycle.transient`).
//!
//! Checked: the counts read back from the bucket equal counts computed here from the input;
//! both workers counted lines (the job's `_hosts` file); after the apply no host, namespace,
//! process or record of the cluster is left, while the state keeps the bucket, the input and
//! the job's record (status SUCCEEDED, application id); the next plan makes the cluster
//! again and re-runs the job; a job that fails still has its cluster released and makes the
//! apply exit 1 with the driver's error; destroy removes the bucket.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

mod support;
use support::can_make_hosts;
use support::cluster::{Workspace, command_output, expect, install_components};

/// Word counts of `text`, split on whitespace as the job does.
fn counts_of(text: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_owned()).or_default() += 1;
    }
    counts
}

/// The `word<TAB>count` lines of every part file under `dir`.
fn counts_in(dir: &Path) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if !entry.file_name().to_string_lossy().starts_with("part-") {
            continue;
        }
        for line in std::fs::read_to_string(entry.path()).unwrap().lines() {
            let (word, count) = line.split_once('\t').unwrap_or_else(|| panic!("not word<TAB>count: {line:?}"));
            assert!(counts.insert(word.to_owned(), count.parse().unwrap()).is_none(), "{word} twice");
        }
    }
    counts
}

/// The network namespaces of cluster `id`'s hosts (`strata.emr-<id>.<host>`): other tests'
/// clusters may come and go meanwhile.
fn namespaces_of(id: &str) -> Vec<String> {
    let prefix = format!("strata.emr-{id}.");
    command_output("ip", &["netns", "list"])
        .lines()
        .filter(|line| line.starts_with(&prefix))
        .map(str::to_owned)
        .collect()
}

/// The cluster the last run of the job used (its record keeps the id).
fn cluster_of_job(dir: &Path) -> String {
    let job = expect(dir, &["state", "show", "emr_job.wordcount"], 0);
    let line = job.lines().find(|line| line.trim_start().starts_with("cluster ")).unwrap_or_else(|| panic!("{job}"));
    line.split('"').nth(1).unwrap_or_else(|| panic!("{line}")).to_owned()
}

fn state_list(dir: &Path) -> Vec<String> {
    expect(dir, &["state", "list"], 0).lines().filter(|l| l.contains('.')).map(str::to_owned).collect()
}

#[test]
fn transient_cluster_counts_words_and_is_released() {
    if !can_make_hosts("nightly_batch") {
        return;
    }
    install_components();
    let bucket = format!("test-nightly-{}", std::process::id());
    let workspace = Workspace::new(
        "nightly-batch",
        &["main.hcl", "jobs/wordcount.py", "data/words.txt"],
        &format!("provider \"local\" {{\n  state_dir = \"{}\"\n}}\n", "STATE_DIR"),
    );
    let dir = workspace.dir();
    // The local provider keeps its bucket records with the hosts' state; the bucket name is
    // this run's own.
    let test_hcl = std::fs::read_to_string(dir.join("test.hcl")).unwrap();
    std::fs::write(dir.join("test.hcl"), test_hcl.replace("STATE_DIR", &workspace.state_dir.display().to_string()))
        .unwrap();
    std::fs::write(dir.join("test.auto.hclvars"), format!("bucket = \"{bucket}\"\n")).unwrap();
    let bucket_dir = Path::new("/mnt/buckets").join(&bucket);

    let started = Instant::now();
    let output = expect(dir, &["apply", "--auto-approve"], 0);
    let took = started.elapsed();
    assert!(output.contains("Releasing transient objects: emr_cluster.batch"), "{output}");
    assert!(output.contains("Released: emr_cluster.batch."), "{output}");

    // The counts in the bucket are the input's.
    let input = std::fs::read_to_string(dir.join("data/words.txt")).unwrap();
    let results = bucket_dir.join("output/wordcount");
    assert_eq!(counts_in(&results), counts_of(&input));
    // Both workers counted lines (the master runs no executor).
    let hosts = std::fs::read_to_string(results.join("_hosts")).unwrap();
    let workers: Vec<&str> = hosts.lines().filter_map(|line| line.split('\t').next()).collect();
    assert_eq!(workers, ["nightly-core-0", "nightly-core-1"], "{hosts}");

    // Nothing of the cluster is left; the state records the run.
    let cluster = cluster_of_job(dir);
    assert!(cluster.starts_with('c'), "{cluster}");
    assert_eq!(namespaces_of(&cluster), Vec::<String>::new(), "the cluster's hosts are gone");
    assert!(std::fs::read_dir(workspace.state_dir.join("hosts")).map_or(true, |mut d| d.next().is_none()));
    assert_eq!(state_list(dir), ["emr_job.wordcount", "local_bucket.data", "local_bucket_object.input"]);
    let job = expect(dir, &["state", "show", "emr_job.wordcount"], 0);
    assert!(job.contains("\"SUCCEEDED\""), "{job}");
    assert!(job.contains("app-"), "the job's application id is recorded: {job}");
    let summary = expect(dir, &["output", "--raw", "wordcount"], 0);
    assert!(summary.contains("distinct words on 2 hosts"), "{summary}");

    // Tomorrow: a new cluster, the job again.
    let plan = expect(dir, &["plan", "--detailed-exitcode"], 2);
    assert!(plan.contains("emr_cluster.batch will be created"), "{plan}");
    assert!(plan.contains("emr_job.wordcount must be replaced"), "{plan}");

    // A failing job: exit 1 with the driver's error, and the cluster is released all the same.
    std::fs::write(dir.join("jobs/wordcount.py"), "raise SystemExit('no input today')\n").unwrap();
    let output = expect(dir, &["apply", "--auto-approve"], 1);
    assert!(output.contains("no input today"), "{output}");
    assert!(output.contains("Released: emr_cluster.batch."), "{output}");
    // The failed job is recorded (tainted) with the cluster it ran on, which is gone.
    let failed_on = cluster_of_job(dir);
    assert_ne!(failed_on, cluster);
    assert_eq!(namespaces_of(&failed_on), Vec::<String>::new());
    assert!(!state_list(dir).contains(&"emr_cluster.batch".to_owned()));

    expect(dir, &["destroy", "--auto-approve"], 0);
    assert!(!bucket_dir.exists(), "destroy removes the bucket (force_destroy)");
    #[allow(clippy::print_stderr)]
    {
        eprintln!("nightly-batch: transient apply (cluster, job, release) took {:.1} s", took.as_secs_f64());
    }
}
