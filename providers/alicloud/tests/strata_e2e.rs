//! The real `strata` binary with the `strata-provider-alicloud` plugin against the emulator:
//! `testdata/alicloud/e2e/main.hcl` (a VPC, a vSwitch, a security group, a key pair and three
//! instances) applied, planned again (no changes), destroyed (the emulator's inventory empty);
//! and an apply killed while its instances start, reconciled by the next apply through the
//! create's token without a second instance.
//!
//! `strata` is not a binary of this package: the tests look for it next to their own
//! executable (`target/debug/strata`, made by a workspace build) and are skipped, saying so,
//! when it is not there.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use strata_provider_alicloud::emulator::{
    Emulator, EmulatorConfig, Inventory, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET,
};

/// `target/debug/strata`, when a workspace build made it.
fn strata() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.parent()?.join("strata");
    if path.exists() {
        Some(path)
    } else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("SKIPPED: {} is missing (run `cargo build -p strata-cli` first)\n", path.display()).as_bytes(),
        );
        None
    }
}

/// A working directory holding the e2e configuration pointed at `emulator`, with the plugin
/// pinned in `.strata/providers/`.
fn workdir(emulator: &Emulator) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(common::testdata("e2e/main.hcl")).unwrap();
    let source = source.replace("@ENDPOINT@", &emulator.endpoint()).replace("@PUBLIC_KEY@", &common::public_key());
    std::fs::write(dir.path().join("main.hcl"), source).unwrap();
    let providers = dir.path().join(".strata/providers");
    std::fs::create_dir_all(&providers).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_strata-provider-alicloud"),
        providers.join("strata-provider-alicloud"),
    )
    .unwrap();
    dir
}

fn command(strata: &Path, dir: &Path, args: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(strata);
    command
        .args(args)
        .current_dir(dir)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", TEST_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", TEST_ACCESS_KEY_SECRET)
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env_remove("ALIBABA_CLOUD_PROFILE")
        // No profile of this machine's user can interfere.
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .env("STRATA_LOG", "1")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// Runs strata to the end: exit code and stdout + stderr.
async fn run(strata: &Path, dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = command(strata, dir, args).output().await.unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

fn state_text(dir: &Path) -> String {
    ["strata.state.json", "strata.state.json.journal"]
        .iter()
        .filter_map(|name| std::fs::read_to_string(dir.join(name)).ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_plan_and_destroy_a_cluster_network_and_three_instances() {
    let Some(strata) = strata() else { return };
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = workdir(&emulator);

    let (code, output) = run(&strata, dir.path(), &["apply", "--auto-approve"]).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("alicloud_instance_group.workers: instances running (3/3)"), "{output}");
    let made = Inventory { vpcs: 1, vswitches: 1, security_groups: 1, key_pairs: 1, instances: 3 };
    assert_eq!(emulator.inventory(), made);
    assert_eq!(emulator.successes("RunInstances"), 1);
    let state = state_text(dir.path());
    for secret in [TEST_ACCESS_KEY_SECRET, TEST_ACCESS_KEY_ID] {
        assert!(!output.contains(secret), "a credential was shown:\n{output}");
        assert!(!state.contains(secret), "a credential is in state");
    }

    let (code, output) = run(&strata, dir.path(), &["output"]).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains(r#"worker_ips = ["10.0.1.1", "10.0.1.2", "10.0.1.3"]"#), "{output}");
    let (code, output) = run(&strata, dir.path(), &["plan"]).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("No changes"), "refresh finds what apply made:\n{output}");

    let (code, output) = run(&strata, dir.path(), &["destroy", "--auto-approve"]).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(emulator.inventory().is_empty(), "{:?}", emulator.inventory());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_apply_killed_while_instances_start_is_reconciled_without_duplicates() {
    let Some(strata) = strata() else { return };
    let mut config = EmulatorConfig::default();
    config.timing.instance_pending = Duration::from_secs(3);
    let emulator = Emulator::start(config).await.unwrap();
    let dir = workdir(&emulator);

    let mut apply = command(&strata, dir.path(), &["apply", "--auto-approve"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let launched = async {
        while emulator.instance_ids().len() < 3 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), launched).await.expect("RunInstances within a minute");
    apply.start_kill().unwrap();
    apply.wait().await.unwrap();
    let launched = emulator.instance_ids();

    let (code, output) = run(&strata, dir.path(), &["apply", "--auto-approve"]).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(
        output.contains("alicloud_instance_group.workers: an interrupted create was found and is adopted into state"),
        "{output}"
    );
    assert_eq!(emulator.instance_ids(), launched, "the interrupted create's instances were adopted:\n{output}");
    assert_eq!(emulator.successes("RunInstances"), 1, "{output}");
    let (code, output) = run(&strata, dir.path(), &["state", "list"]).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("alicloud_instance_group.workers"), "{output}");

    let (code, output) = run(&strata, dir.path(), &["destroy", "--auto-approve"]).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(emulator.inventory().is_empty(), "{:?}", emulator.inventory());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_without_credentials_says_where_they_are_looked_for() {
    let Some(strata) = strata() else { return };
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = workdir(&emulator);
    let mut plan = command(&strata, dir.path(), &["plan"]);
    plan.env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID").env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    let output = plan.output().await.unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
    assert!(emulator.requests().is_empty(), "nothing was sent");
}
