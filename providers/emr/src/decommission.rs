//! Graceful scale in (pure parts): whether a cluster's Spark decommissions workers, the
//! command that asks a worker to, and what the master's JSON says about it.
//!
//! Spark standalone (3.1+) decommissions a worker that receives SIGPWR when
//! `spark.decommission.enabled` is true in its configuration: the worker tells the master,
//! which marks it `DECOMMISSIONED` and schedules nothing more there; its executors stop taking
//! tasks, hand their blocks to the executors that stay (`spark.storage.decommission.enabled`)
//! and exit once idle. Without the setting, SIGPWR's default action kills the worker, so a
//! cluster whose configuration does not enable it (STRATA-1.0.0's defaults) is scaled in by
//! stopping its workers, as before. Spark's `sbin/decommission-worker.sh` does the same
//! (`kill -PWR`); pyspark's `SPARK_HOME` does not ship it.

use std::collections::BTreeMap;

use crate::health::MasterStatus;
use crate::model::ConfigFile;
use crate::topology::Topology;

/// The setting that makes a worker decommission on SIGPWR.
pub const SETTING: &str = "spark.decommission.enabled";
/// The file it is read from.
const FILE: &str = "spark-defaults.conf";

/// Whether the cluster's workers decommission on SIGPWR: `spark.decommission.enabled` is
/// `true` in its `spark-defaults.conf` (the cluster's `config` value over the release's
/// default).
pub fn enabled(topology: &Topology, config: &BTreeMap<String, ConfigFile>) -> bool {
    if let Some(value) = config.get(FILE).and_then(|file| file.values.get(SETTING)) {
        return value.trim().eq_ignore_ascii_case("true");
    }
    let defaults = topology.components.iter().flat_map(|component| &component.config_files);
    defaults
        .filter(|file| file.name == FILE)
        .flat_map(|file| &file.defaults)
        .any(|(key, value)| key == SETTING && value.trim().eq_ignore_ascii_case("true"))
}

/// The command that asks the worker whose pid file is `pid_file` to decommission: prints
/// `sent`, or `none` when no worker runs there.
pub fn command(pid_file: &str) -> String {
    let quoted = strata_deploy::shell_quote(pid_file);
    format!(
        "p=$(cat {quoted} 2>/dev/null); if [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null; then kill -PWR \"$p\" && echo \
         sent; else echo none; fi"
    )
}

/// Whether the master is done with the workers on `ip`: none of them is ALIVE, and none it
/// marked DECOMMISSIONED still runs executors (`coresused`).
pub fn done(status: &MasterStatus, ip: &str) -> bool {
    status.workers.iter().filter(|worker| worker.host == ip).all(|worker| match worker.state.as_str() {
        "ALIVE" => false,
        "DECOMMISSIONED" => worker.cores_used == 0,
        _ => true,
    })
}

/// Whether the master marked a worker on `ip` DECOMMISSIONED.
pub fn decommissioned(status: &MasterStatus, ip: &str) -> bool {
    status.workers.iter().any(|worker| worker.host == ip && worker.state == "DECOMMISSIONED")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topology(release: &str) -> Topology {
        crate::topology::spark_cluster(release, 1)
    }

    #[test]
    fn the_fix_release_enables_it_and_config_decides_last() {
        let none = BTreeMap::new();
        assert!(!enabled(&topology("STRATA-1.0.0"), &none), "STRATA-1.0.0 kills removed workers");
        assert!(enabled(&topology("STRATA-1.0.1"), &none));
        let set = |value: &str| {
            BTreeMap::from([(
                FILE.to_string(),
                ConfigFile { values: BTreeMap::from([(SETTING.to_string(), value.to_string())]) },
            )])
        };
        assert!(enabled(&topology("STRATA-1.0.0"), &set("true")));
        assert!(!enabled(&topology("STRATA-1.0.1"), &set("false")));
    }

    /// The master's `/json/` while it decommissions the worker on 10.0.0.4, then once that
    /// worker's last executor exited, and once it was stopped (a stopped worker is DEAD).
    #[test]
    fn the_master_says_when_a_worker_is_done() {
        let json = |state: &str, cores: u32| {
            format!(
                r#"{{"status":"ALIVE","workers":[
                {{"id":"w1","host":"10.0.0.3","state":"ALIVE","coresused":1}},
                {{"id":"w2","host":"10.0.0.4","state":"{state}","coresused":{cores}}}]}}"#
            )
        };
        let status = |state: &str, cores: u32| MasterStatus::parse(&json(state, cores)).unwrap();
        assert!(!done(&status("ALIVE", 0), "10.0.0.4"), "not asked yet");
        assert!(!done(&status("DECOMMISSIONED", 1), "10.0.0.4"), "an executor still runs there");
        assert!(done(&status("DECOMMISSIONED", 0), "10.0.0.4"));
        assert!(decommissioned(&status("DECOMMISSIONED", 0), "10.0.0.4"));
        assert!(done(&status("DEAD", 0), "10.0.0.4") && !decommissioned(&status("DEAD", 0), "10.0.0.4"));
        assert!(done(&status("ALIVE", 1), "10.0.0.9"), "no worker there");
        assert!(!done(&status("DEAD", 0), "10.0.0.3"));
    }

    /// The command sends SIGPWR to the process its pid file names, and only to a live one.
    #[test]
    fn the_command_signals_only_a_live_worker() {
        let command = command("/run/strata/spark-worker-h1.pid");
        assert!(command.starts_with("p=$(cat '/run/strata/spark-worker-h1.pid' 2>/dev/null);"), "{command}");
        let run = |pid_file: &std::path::Path| {
            let output = std::process::Command::new("/bin/sh")
                .args(["-c", &super::command(&pid_file.to_string_lossy())])
                .output()
                .unwrap();
            String::from_utf8_lossy(&output.stdout).trim().to_string()
        };
        let dir = std::env::temp_dir().join(format!("strata-decommission-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (pid_file, mark) = (dir.join("worker.pid"), dir.join("decommissioned"));
        assert_eq!(run(&pid_file), "none", "no pid file");
        // A stand-in worker that records SIGPWR and exits.
        let script = format!("trap 'touch {}; exit 0' PWR; while :; do sleep 0.1; done", mark.display());
        let mut worker = std::process::Command::new("/bin/sh").args(["-c", &script]).spawn().unwrap();
        std::fs::write(&pid_file, worker.id().to_string()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(run(&pid_file), "sent");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !mark.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = worker.kill();
        let _ = worker.wait();
        assert!(mark.exists(), "the worker got SIGPWR");
        assert_eq!(run(&pid_file), "none", "the worker is gone");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
