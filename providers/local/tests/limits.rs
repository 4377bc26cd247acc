//! Instance type limits are enforced where the machine allows (see the crate documentation):
//! the host's processes are in its cgroups, memory past the limit is OOM-killed, and two busy
//! loops in a one-vCPU host are throttled.

mod common;

use std::path::PathBuf;

use common::{TestNetwork, can_run, ssh, ssh_ok};
use strata_provider_local::HostSpec;

/// The host's cgroup directories, from its init's `/proc/<pid>/cgroup` and the mounts.
fn cgroup_dir(pid: u32, controller: &str) -> Option<PathBuf> {
    let cgroups = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    let path = cgroups.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, names, path) = (parts.next()?, parts.next()?, parts.next()?);
        names.split(',').any(|name| name == controller).then(|| path.to_string())
    })?;
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    let mount = mounts.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields.get(2) == Some(&"cgroup") && fields.get(3)?.split(',').any(|option| option == controller))
            .then(|| fields[1].to_string())
    })?;
    Some(PathBuf::from(mount).join(path.trim_start_matches('/')))
}

/// Seconds in bash's `times` form, `1m2.345s`.
fn seconds(text: &str) -> f64 {
    let (minutes, rest) = text.split_once('m').unwrap_or(("0", text));
    minutes.parse::<f64>().unwrap_or(0.0) * 60.0 + rest.trim_end_matches('s').parse::<f64>().unwrap_or(0.0)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn memory_and_cpu_limits_hold_inside_the_host() {
    if !can_run() {
        return;
    }
    let test = TestNetwork::new("limits", 203);
    let spec = HostSpec { id: "small".into(), hostname: "small".into(), instance_type: "local.c1m1".into() };
    let host = test.network.create_host(&spec).unwrap();
    let key = test.client_key();
    let init = host.init_pid.unwrap();
    let leaf = format!("strata.{}.small", test.network.name());

    if let Some(bytes) = host.limits.memory_bytes {
        assert_eq!(bytes, 1 << 30);
        let dir = cgroup_dir(init, "memory").expect("init in a memory cgroup");
        assert!(dir.ends_with(&leaf), "{}", dir.display());
        assert_eq!(read(dir.join("memory.limit_in_bytes")).trim(), (1u64 << 30).to_string());
        // A session's processes are in the host's cgroup too.
        let session = ssh_ok(&key, &host, "cat /proc/self/cgroup");
        assert!(session.lines().any(|line| line.contains(":memory:") && line.ends_with(&leaf)), "{session}");
        // `tail -n 1` keeps a newline-free input whole in memory: 1.5 GiB cannot fit in 1 GiB.
        let (ok, _, _) = ssh(&key, &host, "set -o pipefail; head -c 1536M /dev/zero | tail -n 1 | wc -c");
        assert!(!ok, "allocating 1.5 GiB in a 1 GiB host succeeded");
        let oom = read(dir.join("memory.oom_control"));
        assert!(oom.lines().any(|line| line.starts_with("oom_kill ") && line != "oom_kill 0"), "{oom}");
    }

    if let Some(vcpus) = host.limits.vcpus {
        assert_eq!(vcpus, 1);
        let dir = cgroup_dir(init, "cpu").expect("init in a cpu cgroup");
        assert!(dir.ends_with(&leaf), "{}", dir.display());
        assert_eq!(read(dir.join("cpu.cfs_quota_us")).trim(), "100000");
        // Two busy loops for 1 s would use 2 CPU-seconds on two idle cores; one vCPU allows
        // 1 (plus one scheduling period of slack). On a busy machine they get less anyway.
        let script = "for i in 1 2; do timeout 1 sh -c 'while :; do :; done' & done; wait; times";
        let times = ssh_ok(&key, &host, &format!("bash -c \"{script}\""));
        let children = times.lines().nth(1).unwrap_or_default();
        let used: f64 = children.split_whitespace().map(seconds).sum();
        assert!(used < 1.2, "two busy loops used {used} CPU-seconds in 1 s: {times}");
        let stat = read(dir.join("cpu.stat"));
        assert!(stat.contains("nr_periods"), "{stat}");
    }

    test.network.destroy_host("small").unwrap();
    assert!(cgroup_dir(std::process::id(), "memory").is_some_and(|dir| !dir.join(&leaf).exists()));
}
