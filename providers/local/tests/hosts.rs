//! Real hosts: three hosts accept SSH with the OpenSSH client, present the host key whose
//! fingerprint they report, resolve and reach each other by name; a host whose sshd is
//! killed from outside is reported broken; destroying leaves nothing behind.

mod common;

use std::time::{Duration, Instant};

use common::{TestNetwork, assert_nothing_left, can_run, link_exists, run, served_fingerprint, ssh_ok};
use strata_provider_local::{HostInfo, HostSpec, HostStatus};

fn spec(id: &str, hostname: &str) -> HostSpec {
    HostSpec { id: id.into(), hostname: hostname.into(), instance_type: "local.c1m1".into() }
}

#[test]
fn three_hosts_ssh_resolve_break_and_leave_nothing() {
    if !can_run() {
        return;
    }
    let test = TestNetwork::new("hosts", 201);
    let network = &test.network;
    let key = test.client_key();
    let specs = [spec("h1", "master"), spec("h2", "core-0"), spec("h3", "core-1")];
    let hosts: Vec<HostInfo> = network.create_hosts(&specs).into_iter().map(|host| host.unwrap()).collect();

    for host in &hosts {
        assert_eq!(ssh_ok(&key, host, "hostname").trim(), host.hostname);
        assert_eq!(served_fingerprint(host), host.host_key_fingerprint, "host key of {}", host.id);
        assert!(host.host_key_fingerprint.starts_with("SHA256:"));
        assert_eq!(network.status(&host.id).unwrap(), HostStatus::Running);
        // sshd is PID 1 of the host; /tmp and /root are the host's own.
        let inside = ssh_ok(&key, host, "cat /proc/1/comm; ls -A /root; touch /tmp/mark-$(hostname); ls /tmp");
        assert_eq!(inside, format!("sshd\n.ssh\nmark-{}\n", host.hostname), "inside {}", host.id);
    }

    // Every host resolves every other by name and reaches its sshd.
    let (master, core) = (&hosts[0], &hosts[1]);
    let resolved = ssh_ok(&key, master, "getent hosts core-0");
    assert_eq!(resolved.split_whitespace().next(), Some(core.ip.to_string().as_str()), "{resolved}");
    let banner = ssh_ok(&key, master, "bash -c 'exec 3<>/dev/tcp/core-0/22; head -c 7 <&3'");
    assert_eq!(banner, "SSH-2.0");
    let all = ssh_ok(&key, core, "getent hosts master core-0 core-1 | wc -l");
    assert_eq!(all.trim(), "3");

    // Killing a host's sshd from outside ends the host: it is reported broken.
    let victim = &hosts[2];
    run("kill", &["-KILL", &victim.init_pid.unwrap().to_string()]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = network.status(&victim.id).unwrap();
    while status == HostStatus::Running && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        status = network.status(&victim.id).unwrap();
    }
    assert!(matches!(status, HostStatus::Broken { .. }), "{status}");
    assert_eq!(network.status(&master.id).unwrap(), HostStatus::Running);

    // Destroying a host updates the others' /etc/hosts.
    network.destroy_host(&victim.id).unwrap();
    assert_eq!(network.status(&victim.id).unwrap(), HostStatus::Gone);
    assert_eq!(ssh_ok(&key, master, "grep -c core-1 /etc/hosts || true").trim(), "0");

    for host in &hosts {
        network.destroy_host(&host.id).unwrap();
        // A second destroy is a no-op.
        network.destroy_host(&host.id).unwrap();
        assert_nothing_left(&test.state_dir, network.name(), host);
        assert_eq!(network.status(&host.id).unwrap(), HostStatus::Gone);
    }
    assert!(!link_exists(network.bridge()), "bridge {} left", network.bridge());
    let links = run("ip", &["-o", "link"]);
    assert!(!links.contains(network.bridge()), "{links}");
}
