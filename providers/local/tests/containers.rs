//! Real container hosts (`Isolation::Container`): two hosts made at once (the first run on a
//! machine builds the base root file system into the shared cache, later runs reuse it)
//! accept SSH with their own host keys, run a whole Debian of their own whose root file
//! system is private (a file written under `/usr` in one is seen neither by the other nor by
//! the machine), resolve and reach each other by name; a host whose sshd is killed from
//! outside is reported broken; `gc` finds and removes a container host no state knows;
//! destroying leaves nothing: namespace, links, processes, mounts in any mount namespace,
//! nspawn's runtime directories, cgroups, the overlay's upper layer.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{TestNetwork, assert_nothing_left, can_run, link_exists, pids_mentioning, served_fingerprint, ssh_ok};
use strata_provider_local::{BOOKWORM, HostInfo, HostSpec, HostStatus, Isolation, gc, machine_name, veth_name};

/// Creating two container hosts once the base is cached takes about a second here; the
/// bound leaves room for a loaded CI machine. A first run also builds the base (about 45 s,
/// bounded by debootstrap's own time limit).
const CREATE_BOUND: Duration = Duration::from_secs(30);

fn spec(id: &str, hostname: &str) -> HostSpec {
    HostSpec { id: id.into(), hostname: hostname.into(), instance_type: "local.c1m1".into() }
}

#[test]
#[allow(clippy::print_stderr)] // the timings are part of what this test reports
fn two_container_hosts_private_roots_reach_each_other_and_leave_nothing() {
    if !can_run() {
        return;
    }
    let test = TestNetwork::new("containers", 207);
    let network = &test.network;
    let key = test.client_key();
    let cached = BOOKWORM.is_built(network.rootfs_cache());

    let started = Instant::now();
    let specs = [spec("c1", "box-0"), spec("c2", "box-1")];
    let hosts: Vec<HostInfo> =
        network.create_hosts_with(&specs, Isolation::Container).into_iter().map(|host| host.unwrap()).collect();
    let created = started.elapsed();
    eprintln!(
        "2 container hosts created and accepting SSH in {created:.2?} ({})",
        if cached { "base root file system cached" } else { "base root file system built first" }
    );
    if cached {
        assert!(created < CREATE_BOUND, "creating 2 container hosts took {created:?}");
    }
    let base = BOOKWORM.dir(network.rootfs_cache());
    assert!(BOOKWORM.is_built(network.rootfs_cache()));

    for host in &hosts {
        assert_eq!(network.isolation(&host.id).unwrap(), Some(Isolation::Container));
        // Limits hold in a container too: its processes are in the host's memory cgroup.
        if host.limits.memory_bytes.is_some() {
            let init = host.init_pid.unwrap();
            let cgroups = std::fs::read_to_string(format!("/proc/{init}/cgroup")).unwrap();
            let leaf = format!("strata.{}.{}", network.name(), host.id);
            assert!(cgroups.lines().any(|line| line.contains(":memory:") && line.ends_with(&leaf)), "{cgroups}");
        }
        assert_eq!(network.status(&host.id).unwrap(), HostStatus::Running);
        assert_eq!(served_fingerprint(host), host.host_key_fingerprint, "host key of {}", host.id);
        // A Debian of its own: nspawn's stub init is PID 1, sshd its child; its own dpkg.
        let inside = ssh_ok(
            &key,
            host,
            "hostname; cat /proc/1/comm; ps -o comm= --ppid 1; . /etc/os-release; echo $VERSION_CODENAME; dpkg-query -W -f '${Status}\\n' openssh-server",
        );
        assert_eq!(inside, format!("{}\n(sd-stubinit)\nsshd\nbookworm\ninstall ok installed\n", host.hostname));
    }

    // The root file system is the host's own: a file under /usr shows only there, and lands
    // in the host's directory (the overlay's upper layer), not in the shared base.
    let (first, second) = (&hosts[0], &hosts[1]);
    ssh_ok(&key, first, "echo mine > /usr/local/strata-private && cat /usr/local/strata-private");
    assert_eq!(ssh_ok(&key, first, "cat /usr/local/strata-private"), "mine\n");
    assert_eq!(ssh_ok(&key, second, "test -e /usr/local/strata-private && echo seen || echo absent"), "absent\n");
    assert!(!Path::new("/usr/local/strata-private").exists(), "written to the machine's /usr");
    assert!(!base.join("usr/local/strata-private").exists(), "written to the base");
    assert!(test.state_dir.join("hosts/c1/fs/usr/local/strata-private").exists());

    // Each resolves the other by name and reaches its sshd.
    for (from, to) in [(first, second), (second, first)] {
        let command =
            format!("getent hosts {0} | cut -d' ' -f1; bash -c 'exec 3<>/dev/tcp/{0}/22; head -c 7 <&3'", to.hostname);
        assert_eq!(ssh_ok(&key, from, &command), format!("{}\nSSH-2.0", to.ip), "{} reaching {}", from.id, to.id);
    }

    // Killing the second host's sshd from outside ends its container: reported broken.
    let init = second.init_pid.unwrap();
    let sshd = std::fs::read_to_string(format!("/proc/{init}/task/{init}/children")).unwrap();
    let sshd = sshd.split_whitespace().next().expect("sshd under the stub init").to_string();
    common::run("kill", &["-KILL", &sshd]);
    let ended =
        HostStatus::Broken { reason: "its container is not running (its init, the parent of sshd, is gone)".into() };
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = network.status(&second.id).unwrap();
    while status != ended && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        status = network.status(&second.id).unwrap();
    }
    assert_eq!(status, ended);
    assert_eq!(network.status(&first.id).unwrap(), HostStatus::Running);

    // gc finds the container host no state knows and leaves the known one alone.
    let started = Instant::now();
    let report = gc(&test.state_dir, &[first.id.as_str()]).unwrap();
    assert_eq!(report.removed_hosts, std::slice::from_ref(&second.id));
    assert_nothing_left_of_container(&test, second);
    assert_eq!(ssh_ok(&key, first, "grep -c box-1 /etc/hosts || true").trim(), "0");

    network.destroy_host(&first.id).unwrap();
    eprintln!("2 container hosts removed (gc one, destroy the other) in {:.2?}", started.elapsed());
    network.destroy_host(&first.id).unwrap();
    assert_nothing_left_of_container(&test, first);
    assert!(!link_exists(network.bridge()), "bridge {} left", network.bridge());
    assert!(BOOKWORM.is_built(network.rootfs_cache()), "the cached base stays");
}

/// What [`assert_nothing_left`] checks, plus its veth and what a container adds: no mount of its overlay in
/// any mount namespace, no process naming its directory (nspawn's arguments do), no
/// runtime directory of nspawn's, no cgroup of its name in any hierarchy.
fn assert_nothing_left_of_container(test: &TestNetwork, host: &HostInfo) {
    let network = test.network.name();
    assert_nothing_left(&test.state_dir, network, host);
    let dir = test.state_dir.join("hosts").join(&host.id);
    let dir_text = dir.to_string_lossy();
    let processes = pids_mentioning(&dir_text);
    assert!(processes.is_empty(), "processes {processes:?} name {dir_text}");
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let mountinfo = std::fs::read_to_string(entry.path().join("mountinfo")).unwrap_or_default();
        assert!(!mountinfo.contains(dir_text.as_ref()), "{} still mounts {dir_text}", entry.path().display());
    }
    let veth = veth_name(network, &host.id);
    assert!(!link_exists(&veth), "veth {veth} left");
    let machine = machine_name(network, &host.id);
    for kind in ["propagate", "unix-export"] {
        let runtime = Path::new("/run/systemd/nspawn").join(kind).join(&machine);
        assert!(!runtime.exists(), "{} left", runtime.display());
    }
    let leaf = format!("strata.{network}.{}", host.id);
    let cgroups = dirs_named(Path::new("/sys/fs/cgroup"), &leaf, 5);
    assert!(cgroups.is_empty(), "cgroups left: {cgroups:?}");
}

/// Directories called `name` under `root`, at most `depth` levels down.
fn dirs_named(root: &Path, name: &str, depth: usize) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else { return found };
    for entry in entries.flatten() {
        if !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        if entry.file_name() == name {
            found.push(entry.path());
        } else if depth > 0 {
            found.extend(dirs_named(&entry.path(), name, depth - 1));
        }
    }
    found
}
