//! Two real clusters sharing one Hive metastore (`testdata/emr/shared-metastore/`), through the
//! real `strata` binary and the plugin `strata-provider-emr`: an `emr_metastore` (PostgreSQL on
//! a host and network of its own, the Hive schema made by SchemaTool), two clusters (one
//! master, one core each) whose networks are routed to the metastore's, a SPARK_SQL job on
//! "writer" creating a table and inserting rows, and a SPARK_SQL job on "reader", started after
//! it, selecting them.
//!
//! `two_clusters_share_tables_then_nothing_is_left` (root; skipped elsewhere, required under
//! CI): apply → the reader's job printed exactly the rows the writer inserted → the table is
//! in PostgreSQL (asked from this machine as `hive`) and its files in the metastore's
//! warehouse → each cluster reaches the metastore and not the other cluster → the password is
//! in no output, not in the state file, only in the 0600 record → no-op plan → PostgreSQL
//! killed from outside → `plan --detailed-exitcode` exits 2 naming it → apply restarts it (the
//! schema is found, the table is still there) → destroy leaves nothing: namespaces, links,
//! processes, mounts, launchers, records, network and shared directories, routing rules. Every
//! wait is bounded; a guard destroys and collects everything when the test fails.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;

mod support;
use support::can_make_hosts;
use support::cluster::{
    collect, command_output, expect, install_components, launchers_of, metastore_tables, netns_processes, report,
    repository, run, run_bounded, running_since, sweep_dead_runs,
};

/// The priorities of the routing rules linking networks (`strata_provider_local::routing`).
const RULE_PRIORITIES: [&str; 2] = ["32000:", "32001:"];

/// The configuration in a directory of its own, with a state directory, shared root and subnet
/// pool (a /22: three networks) of its own. Dropped (passed or failed), it destroys what the
/// state knows, then removes whatever is left: hosts, launchers, directories, routing rules.
struct Workspace {
    work: tempfile::TempDir,
    state_dir: PathBuf,
    shared_root: PathBuf,
    pool_prefix: String,
}

impl Workspace {
    fn new() -> Workspace {
        sweep_dead_rules();
        sweep_dead_runs();
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!("test-emr-{}-{nanos}-metastore", std::process::id());
        let (state_dir, shared_root) = (Path::new("/var/lib/strata").join(&name), Path::new("/srv/strata").join(&name));
        let work = tempfile::tempdir().unwrap();
        let source = repository().join("testdata/emr/shared-metastore");
        for file in ["main.hcl", "create.sql", "select.sql"] {
            std::fs::copy(source.join(file), work.path().join(file)).unwrap();
        }
        let (pool, pool_prefix) = free_pool();
        let settings = format!(
            "provider \"emr\" {{\n  state_dir   = \"{}\"\n  shared_root = \"{}\"\n  subnet_pool = \"{pool}\"\n}}\n",
            state_dir.display(),
            shared_root.display(),
        );
        std::fs::write(work.path().join("test.hcl"), settings).unwrap();
        Workspace { work, state_dir, shared_root, pool_prefix }
    }

    fn dir(&self) -> &Path {
        self.work.path()
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if self.dir().join("strata.state.json").exists() {
            let _ = run(self.dir(), &["destroy", "--auto-approve"]);
        }
        let _ = std::fs::remove_dir_all(&self.shared_root);
        let mut rules = rules_of_networks(&self.state_dir);
        rules.extend(rules_touching(&self.pool_prefix));
        if self.state_dir.exists() {
            collect(&self.state_dir);
        }
        delete_rules(&rules);
    }
}

/// The routing rules naming the bridge of a network recorded under `state_dir`.
fn rules_of_networks(state_dir: &Path) -> Vec<String> {
    let bridges: Vec<String> = std::fs::read_dir(state_dir.join("networks"))
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| strata_provider_local::bridge_name(&entry.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    rules_matching(|line| bridges.iter().any(|bridge| line.contains(&format!("iif {bridge} "))))
}

fn delete_rules(rules: &[String]) {
    for rule in rules {
        let _ = run_bounded(Command::new("sh").args(["-c", &format!("ip rule del {rule}")]), Duration::from_secs(10));
    }
}

/// Removes the routing rules of runs of this test that were killed before their guard ran
/// (`sweep_dead_runs` removes the rest of what they left).
fn sweep_dead_rules() {
    let Ok(entries) = std::fs::read_dir("/var/lib/strata") else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_suffix("-metastore")
            .and_then(|rest| rest.strip_prefix("test-emr-"))
            .and_then(|rest| rest.split('-').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            delete_rules(&rules_of_networks(&entry.path()));
        }
    }
}

/// `10.206.X.0/22` (and its prefix `10.206.X`) for the first X, a multiple of 4 from this
/// process's id on, no route or address of the machine touches in any of its four /24s. Only
/// this test uses 10.206.
fn free_pool() -> (String, String) {
    let routes = command_output("ip", &["-4", "route", "show", "table", "all"]);
    let addresses = command_output("ip", &["-4", "address", "show"]);
    let start = std::process::id() % 64;
    (0..64)
        .map(|offset| (start + offset) % 64 * 4)
        .find(|third| {
            (*third..third + 4).all(|octet| {
                let prefix = format!("10.206.{octet}.");
                !routes.contains(&prefix) && !addresses.contains(&prefix)
            })
        })
        .map(|third| (format!("10.206.{third}.0/22"), format!("10.206.{third}")))
        .expect("a free 10.206.X.0/22")
}

/// Routing rules at the link priorities whose `ip rule show` line `matches`, as `ip rule del`
/// arguments.
fn rules_matching(matches: impl Fn(&str) -> bool) -> Vec<String> {
    command_output("ip", &["-4", "rule", "show"])
        .lines()
        .filter(|line| RULE_PRIORITIES.iter().any(|priority| line.starts_with(priority)))
        .filter(|line| matches(line))
        .map(|line| {
            let (priority, rest) = line.split_once(':').unwrap();
            format!("priority {priority} {}", rest.replace("from all", "").replace("[detached]", "").trim())
        })
        .collect()
}

/// Routing rules naming a /24 of the pool `<pool_prefix>.0/22`.
fn rules_touching(pool_prefix: &str) -> Vec<String> {
    let third: u32 = pool_prefix.rsplit('.').next().unwrap().parse().unwrap();
    let subnets: Vec<String> = (third..third + 4).map(|octet| format!("10.206.{octet}.0/24")).collect();
    rules_matching(|line| subnets.iter().any(|subnet| line.contains(subnet.as_str())))
}

/// Whether a TCP connection from network namespace `netns` to `ip:port` is accepted (`Ok`), or
/// the error bash reports.
fn connect_from(netns: &str, ip: &str, port: u16) -> Result<(), String> {
    let script = format!("exec 3<>/dev/tcp/{ip}/{port}");
    let output = run_bounded(
        Command::new("ip").args(["netns", "exec", netns, "timeout", "5", "bash", "-c", &script]),
        Duration::from_secs(20),
    );
    if output.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&output.stderr).into_owned()) }
}

fn parent(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix("PPid:")?.trim().parse().ok())
}

#[test]
fn two_clusters_share_tables_then_nothing_is_left() {
    if !can_make_hosts("the shared metastore test") {
        return;
    }
    install_components();
    let workspace = Workspace::new();
    let dir = workspace.dir();
    let whole = Instant::now();
    let mut timings = Vec::new();
    let mut printed = String::new();

    let plan = expect(dir, &["plan"], 0);
    for expected in ["password = (sensitive value)", "\"shared-db-0/metastore-db\" = \"running\"", "Plan: 5 to add"] {
        assert!(plan.split_whitespace().collect::<Vec<_>>().join(" ").contains(expected), "{expected:?} in:\n{plan}");
    }
    printed.push_str(&plan);

    let started = Instant::now();
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("cold apply (metastore, two clusters, two jobs)", started.elapsed()));
    for expected in
        ["metastore-db healthy on 1/1", "Hive schema created", "Resources: 5 added, 0 changed, 0 destroyed."]
    {
        assert!(apply.contains(expected), "{expected:?} in:\n{apply}");
    }
    printed.push_str(&apply);

    // The reader selected exactly what the writer inserted.
    let outputs_text = expect(dir, &["output", "--json"], 0);
    printed.push_str(&outputs_text);
    let outputs: Json = serde_json::from_str(&outputs_text).unwrap();
    let rows: Vec<&str> = outputs["rows"]["value"].as_str().unwrap().lines().collect();
    assert_eq!(rows, ["1\talpha", "2\tbeta", "3\tgamma"], "{outputs}");
    let ids = &outputs["ids"]["value"];
    let (metastore, writer, reader) = (
        ids["metastore"].as_str().unwrap().to_string(),
        ids["writer"].as_str().unwrap().to_string(),
        ids["reader"].as_str().unwrap().to_string(),
    );
    let metastore_ip = ids["metastore_ip"].as_str().unwrap().to_string();
    assert_eq!(ids["jdbc_url"], format!("jdbc:postgresql://{metastore_ip}:5432/metastore"));
    let warehouse = PathBuf::from(ids["warehouse_dir"].as_str().unwrap());
    assert_eq!(warehouse, workspace.shared_root.join("metastores").join(&metastore).join("warehouse"));
    let hosts = ids["hosts"].as_array().unwrap().clone();
    let host = |name: &str| hosts.iter().find(|host| host["name"] == name).unwrap_or_else(|| panic!("{name}"));

    // The password: in the record (mode 0600), sealed in the state, in no output.
    let record_path = workspace.state_dir.join(format!("emr/metastores/{metastore}.json"));
    let mode = std::fs::metadata(&record_path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", record_path.display());
    let record: Json = serde_json::from_str(&std::fs::read_to_string(&record_path).unwrap()).unwrap();
    let password = record["password"].as_str().unwrap().to_string();
    assert!(password.len() >= 24 && password.chars().all(|c| c.is_ascii_alphanumeric()), "a generated password");
    for state_file in ["strata.state.json", "strata.state.json.journal"] {
        let text = std::fs::read_to_string(dir.join(state_file)).unwrap_or_default();
        assert!(!text.contains(&password), "the password is in {state_file} in clear");
    }

    // The table is PostgreSQL's, its data in the shared warehouse.
    assert_eq!(metastore_tables(&metastore_ip, &password), "shared_rows");
    let files: Vec<String> = std::fs::read_dir(warehouse.join("shared_rows"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|file| file.ends_with(".parquet")), "{files:?}");

    // Each cluster's network is linked to the metastore's: forwarding on both bridges, the four
    // rules. Each cluster reaches the metastore, and not the other cluster.
    let endpoint = |id: &str, ip: &str| {
        let third = ip.rsplit_once('.').unwrap().0;
        strata_provider_local::routing::Endpoint {
            bridge: strata_provider_local::bridge_name(&format!("emr-{id}")),
            subnet: format!("{third}.0/24").parse().unwrap(),
        }
    };
    let server = endpoint(&metastore, &metastore_ip);
    for (cluster, master) in [(&writer, "writer-master-0"), (&reader, "reader-master-0")] {
        let client = endpoint(cluster, host(master)["ip"].as_str().unwrap());
        let problems = strata_provider_local::routing::problems(&client, &server).unwrap();
        assert!(problems.is_empty(), "{cluster}: {problems:?}");
    }
    let netns = |cluster: &str, host_name: &str| {
        strata_provider_local::netns_name(&format!("emr-{cluster}"), host(host_name)["id"].as_str().unwrap())
    };
    let reader_master_ip = host("reader-master-0")["ip"].as_str().unwrap().to_string();
    assert_eq!(connect_from(&netns(&writer, "writer-core-0"), &metastore_ip, 5432), Ok(()));
    assert_eq!(connect_from(&netns(&reader, "reader-master-0"), &metastore_ip, 5432), Ok(()));
    let across = connect_from(&netns(&writer, "writer-master-0"), &reader_master_ip, 7077).unwrap_err();
    assert!(across.contains("No route to host"), "{across}");

    let started = Instant::now();
    printed.push_str(&expect(dir, &["plan", "--detailed-exitcode"], 0));
    timings.push(("no-op plan (refresh over SSH)", started.elapsed()));

    // PostgreSQL killed from outside: drift, then repair.
    let metastore_network = format!("emr-{metastore}");
    let metastore_host = command_output("ip", &["netns", "list"])
        .split_whitespace()
        .find(|name| name.starts_with(&format!("strata.{metastore_network}.")))
        .expect("the metastore's namespace")
        .to_string();
    let postgres: Vec<u32> = netns_processes(&metastore_host)
        .into_iter()
        .filter(|(pid, comm, _)| {
            comm == "postgres"
                && parent(*pid).and_then(|ppid| std::fs::read_to_string(format!("/proc/{ppid}/comm")).ok())
                    != Some("postgres\n".into())
        })
        .map(|(pid, _, _)| pid)
        .collect();
    assert_eq!(postgres.len(), 1, "one postmaster: {postgres:?}");
    command_output("kill", &["-KILL", &postgres[0].to_string()]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while netns_processes(&metastore_host).iter().any(|(_, comm, _)| comm == "postgres") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let started = Instant::now();
    let drift = expect(dir, &["plan", "--detailed-exitcode"], 2);
    timings.push(("drift plan after PostgreSQL was killed", started.elapsed()));
    let flat = drift.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "# emr_metastore.shared has changed",
        "\"shared-db-0/metastore-db\" = \"stopped\"",
        "~ status = \"RUNNING\" -> \"DEGRADED\"",
        "Plan: 0 to add, 1 to change, 0 to destroy.",
    ] {
        assert!(flat.contains(expected), "{expected:?} in:\n{drift}");
    }
    printed.push_str(&drift);
    let started = Instant::now();
    let repair = expect(dir, &["apply", "--auto-approve"], 0);
    timings.push(("repair apply", started.elapsed()));
    for expected in
        ["metastore-db started on 1/1", "Hive schema present", "Resources: 0 added, 1 changed, 0 destroyed."]
    {
        assert!(repair.contains(expected), "{expected:?} in:\n{repair}");
    }
    printed.push_str(&repair);
    assert_eq!(metastore_tables(&metastore_ip, &password), "shared_rows", "the table outlived the crash");
    printed.push_str(&expect(dir, &["plan", "--detailed-exitcode"], 0));

    // Destroy leaves nothing of the three networks on the machine.
    let networks = [metastore_network, format!("emr-{writer}"), format!("emr-{reader}")];
    let bridges: Vec<String> = networks.iter().map(|network| strata_provider_local::bridge_name(network)).collect();
    let namespaces: Vec<String> = command_output("ip", &["netns", "list"])
        .split_whitespace()
        .filter(|name| networks.iter().any(|network| name.starts_with(&format!("strata.{network}."))))
        .map(str::to_string)
        .collect();
    assert_eq!(namespaces.len(), 5, "a metastore host and two hosts per cluster: {namespaces:?}");
    let host_ids: Vec<String> = namespaces.iter().map(|name| name.rsplit('.').next().unwrap().to_string()).collect();
    let processes: Vec<(u32, u64)> =
        namespaces.iter().flat_map(|netns| netns_processes(netns)).map(|(pid, _, since)| (pid, since)).collect();
    let rules = rules_matching(|line| bridges.iter().any(|bridge| line.contains(bridge.as_str())));
    assert_eq!(rules.len(), 7, "two links of two rules, a deny rule per bridge: {rules:?}");
    let started = Instant::now();
    let destroy = expect(dir, &["destroy", "--auto-approve"], 0);
    timings.push(("destroy", started.elapsed()));
    assert!(destroy.contains("Resources: 0 added, 0 changed, 5 destroyed."), "{destroy}");
    printed.push_str(&destroy);

    let listed = command_output("ip", &["netns", "list"]);
    for network in &networks {
        assert!(!listed.contains(&format!("strata.{network}.")), "namespaces of {network} left:\n{listed}");
    }
    let links = command_output("ip", &["-o", "link"]);
    let mut ours: Vec<String> = bridges.clone();
    for network in &networks {
        ours.extend(host_ids.iter().map(|id| strata_provider_local::veth_name(network, id)));
    }
    let left: Vec<&String> = ours.iter().filter(|name| links.contains(&format!(" {name}:"))).collect();
    assert!(left.is_empty(), "links left: {left:?}");
    for (pid, since) in processes {
        assert_ne!(running_since(pid), Some(since), "process {pid} of a destroyed host still runs");
    }
    let state = workspace.state_dir.to_string_lossy().into_owned();
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap();
    assert!(!mounts.contains(&state), "mounts left under {state}:\n{mounts}");
    assert!(launchers_of(&host_ids).is_empty(), "launchers left: {:?}", launchers_of(&host_ids));
    let host_dirs: Vec<_> = std::fs::read_dir(workspace.state_dir.join("hosts")).unwrap().collect();
    assert!(host_dirs.is_empty(), "host directories left: {host_dirs:?}");
    for (kind, id) in [("metastores", &metastore), ("clusters", &writer), ("clusters", &reader)] {
        let record = workspace.state_dir.join(format!("emr/{kind}/{id}.json"));
        assert!(!record.exists(), "{} is left", record.display());
    }
    for network in &networks {
        assert!(!workspace.state_dir.join("networks").join(network).exists(), "the directory of {network} is left");
    }
    for shared in [workspace.shared_root.join(&writer), workspace.shared_root.join(&reader)] {
        assert!(!shared.exists(), "{} is left", shared.display());
    }
    assert!(!workspace.shared_root.join("metastores").exists(), "the metastore's shared directory is left");
    let rules = rules_matching(|line| bridges.iter().any(|bridge| line.contains(bridge.as_str())));
    assert!(rules.is_empty(), "routing rules left: {rules:?}");
    assert!(rules_touching(&workspace.pool_prefix).is_empty(), "routing rules left for the pool");
    assert!(!printed.contains(&password), "the metastore password was printed");
    timings.push(("the whole test", whole.elapsed()));
    report("shared-metastore", &timings);
}
