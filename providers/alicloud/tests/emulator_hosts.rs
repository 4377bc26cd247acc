//! The emulator with real hosts (`EmulatorConfig::real_hosts`), through the provider's own
//! resources: instances are namespace hosts on the vSwitch's CIDR block, `Running` only once
//! their sshd answers, with the key pair's key authorized for root and the instance's hostname;
//! a repeated `RunInstances` (same `ClientToken`) makes no second host; a vSwitch whose block
//! this machine cannot use gives `Stopped` instances; deleting instances removes their hosts,
//! deleting the vSwitch its network; stopping the emulator removes what is left.
//!
//! Root only: skipped elsewhere, refused under CI (`CI` set) when not root.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::hosts::{free_block, is_root, output, ssh};
use common::{Harness, text, texts};
use strata_provider_alicloud::api::console;
use strata_provider_alicloud::api::instances::{self as api, Launch};
use strata_provider_alicloud::client::{Client, ClientConfig, RetryPolicy};
use strata_provider_alicloud::emulator::hosts::{HostPhase, network_name};
use strata_provider_alicloud::emulator::{EmulatorConfig, Fault, Inventory};
use strata_provider_alicloud::resources::host_keys;
use strata_provider_sdk::Value;

/// `hostname` on `ip` as root with `key`.
fn ssh_hostname(key: &Path, ip: &str) -> String {
    let (code, text) = ssh(key, ip, "hostname", 20);
    assert_eq!(code, 0, "ssh {ip}: {text}");
    text.trim().to_string()
}

/// Removes the state directory's leftovers when dropped (the emulator removes its hosts
/// first, when it is dropped before this).
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = strata_provider_local::gc(&self.0, &[]);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn instances_are_hosts_of_their_vswitch() {
    if !is_root() {
        return;
    }
    common::sweep_dead_runs();
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
    let state_dir = PathBuf::from(format!("/var/lib/strata/test-alicloud-hosts-{}-{nanos}", std::process::id()));
    let _cleanup = Cleanup(state_dir.clone());
    let work = tempfile::tempdir().unwrap();
    let key = work.path().join("id_ed25519");
    let keygen = Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&key).status().unwrap();
    assert!(keygen.success());
    let public_key = std::fs::read_to_string(key.with_extension("pub")).unwrap();

    let config = EmulatorConfig { real_hosts: Some(state_dir.clone()), ..EmulatorConfig::default() };
    let harness = Harness::with(config, common::fast_options(common::test_credentials())).await;
    let block = free_block(212);
    let vpc = harness
        .create("alicloud_vpc", harness.config("alicloud_vpc", &[("cidr_block", "10.212.0.0/16".into())]), "h-vpc")
        .await
        .unwrap();
    let vpc_id = text(&vpc, "id");
    let vswitch_config = |cidr: &str| {
        harness.config(
            "alicloud_vswitch",
            &[("vpc_id", vpc_id.as_str().into()), ("cidr_block", cidr.into()), ("zone_id", common::ZONE.into())],
        )
    };
    let vswitch = harness.create("alicloud_vswitch", vswitch_config(&block), "h-vsw").await.unwrap();
    let vswitch_id = text(&vswitch, "id");
    let group = harness
        .create(
            "alicloud_security_group",
            harness.config("alicloud_security_group", &[("vpc_id", vpc_id.as_str().into())]),
            "h-sg",
        )
        .await
        .unwrap();
    let pair = [("key_name", Value::from("hosts")), ("public_key", public_key.trim().into())];
    let key_pair =
        harness.create("alicloud_key_pair", harness.config("alicloud_key_pair", &pair), "h-key").await.unwrap();
    let instances = harness.config(
        "alicloud_instance_group",
        &[
            ("instance_count", 2.into()),
            ("instance_type", common::INSTANCE_TYPE.into()),
            ("image_id", common::IMAGE.into()),
            ("vswitch_id", vswitch_id.as_str().into()),
            ("security_group_id", text(&group, "id").into()),
            ("key_name", "hosts".into()),
        ],
    );

    let started = Instant::now();
    let made = harness.create("alicloud_instance_group", instances.clone(), "h-group").await.unwrap();
    let took = started.elapsed();
    let ips = texts(&made, "private_ips");
    let prefix = block.trim_end_matches("0/24");
    assert_eq!(ips, [format!("{prefix}2"), format!("{prefix}3")], "the gateway is {prefix}1");
    let network = network_name(&vswitch_id);
    let namespaces = output("ip", &["netns", "list"]);
    assert_eq!(namespaces.matches(&format!("strata.{network}.")).count(), 2, "{namespaces}");
    for (id, ip) in texts(&made, "instance_ids").iter().zip(&ips) {
        let hostname = ssh_hostname(&key, ip);
        assert_eq!(hostname, format!("iZ{}Z", &id[2..]), "the instance's HostName");
    }
    assert!(took < Duration::from_secs(30), "{took:?}");

    // Their console output lists the Ed25519 host key their sshd presents (cloud-init's
    // fingerprint block); a forged console answer lists another one.
    let console_client = Client::new(ClientConfig {
        region: common::REGION.into(),
        endpoint: Some(harness.emulator.endpoint()),
        credentials: common::test_credentials(),
        retry: RetryPolicy::default(),
    })
    .unwrap();
    for (id, ip) in texts(&made, "instance_ids").iter().zip(&ips) {
        let console = console::console_output(&console_client, id).await.unwrap();
        let presented = strata_provider_local::presented_host_key_fingerprint(ip.parse().unwrap(), 22).unwrap();
        assert_eq!(host_keys::ed25519_fingerprint(&console), Some(presented.clone()), "{console}");
        harness.emulator.inject(Fault::ForgeConsoleHostKey { count: 1 });
        let forged = console::console_output(&console_client, id).await.unwrap();
        let listed = host_keys::ed25519_fingerprint(&forged).unwrap();
        assert_ne!(listed, presented);
        let refused = host_keys::pin(id, Some(&listed), &presented).unwrap_err();
        assert!(refused.contains("refusing to log in"), "{refused}");
    }
    let missing = console::console_output(&console_client, "i-doesnotexist").await.unwrap_err();
    assert_eq!(missing.code(), Some("InvalidInstanceId.NotFound"), "{missing}");

    // The same ClientToken: the same instances, no new host.
    let again = harness.create("alicloud_instance_group", instances, "h-group").await.unwrap();
    assert_eq!(texts(&again, "instance_ids"), texts(&made, "instance_ids"));
    assert_eq!(output("ip", &["netns", "list"]).matches(&format!("strata.{network}.")).count(), 2);

    // A block this machine already uses (the first vSwitch's bridge holds it, in another VPC):
    // its instances stop instead of starting.
    let other_vpc = harness
        .create("alicloud_vpc", harness.config("alicloud_vpc", &[("cidr_block", "10.212.0.0/16".into())]), "h-vpc2")
        .await
        .unwrap();
    let other = harness
        .create(
            "alicloud_vswitch",
            harness.config(
                "alicloud_vswitch",
                &[
                    ("vpc_id", text(&other_vpc, "id").into()),
                    ("cidr_block", block.as_str().into()),
                    ("zone_id", common::ZONE.into()),
                ],
            ),
            "h-vsw2",
        )
        .await
        .unwrap();
    let other_group = harness
        .create(
            "alicloud_security_group",
            harness.config("alicloud_security_group", &[("vpc_id", text(&other_vpc, "id").into())]),
            "h-sg2",
        )
        .await
        .unwrap();
    let client = Client::new(ClientConfig {
        region: common::REGION.into(),
        endpoint: Some(harness.emulator.endpoint()),
        credentials: common::test_credentials(),
        retry: RetryPolicy::default(),
    })
    .unwrap();
    let other_id = text(&other, "id");
    let other_group_id = text(&other_group, "id");
    let launch = Launch {
        image_id: common::IMAGE,
        instance_type: common::INSTANCE_TYPE,
        vswitch_id: &other_id,
        security_group_id: &other_group_id,
        key_pair_name: "",
        instance_name: "",
        host_name: "clash-[0,1]",
        amount: 1,
        client_token: "h-clash",
        group: "h-clash",
    };
    let clash = api::run_instances(&client, launch).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let reason = loop {
        let phase = harness.emulator.instance_hosts().into_iter().find(|(id, _)| *id == clash[0]).map(|(_, p)| p);
        match phase {
            Some(HostPhase::Failed(reason)) => break reason,
            _ if Instant::now() > deadline => panic!("instance {} did not fail: {phase:?}", clash[0]),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    assert!(reason.contains(&block), "{reason}");
    let found = api::describe_instances(&client, api::Filter::Ids(&clash)).await.unwrap();
    assert_eq!(found[0].status, "Stopped");
    api::delete_instances(&client, &clash).await.unwrap();

    // Deleting instances removes their hosts; deleting the vSwitch its network.
    harness.delete("alicloud_instance_group", made).await.unwrap();
    assert!(!output("ip", &["netns", "list"]).contains(&network));
    harness.delete("alicloud_vswitch", vswitch).await.unwrap();
    // The emulator's host thread removes the network after the answer: wait for it (bounded).
    let removed = state_dir.join("networks").join(&network);
    let deadline = Instant::now() + Duration::from_secs(10);
    while removed.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!removed.exists(), "the vSwitch's network is removed");
    for (type_name, state) in [
        ("alicloud_key_pair", key_pair),
        ("alicloud_security_group", group),
        ("alicloud_vswitch", other),
        ("alicloud_security_group", other_group),
        ("alicloud_vpc", other_vpc),
        ("alicloud_vpc", vpc),
    ] {
        harness.delete(type_name, state).await.unwrap();
    }
    assert_eq!(harness.emulator.inventory(), Inventory::default());
    drop(harness);
    let hosts: Vec<_> = std::fs::read_dir(state_dir.join("hosts"))
        .map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
        .unwrap_or_default();
    assert!(hosts.is_empty(), "hosts left: {hosts:?}");
}
