//! `alicloud-emulator [--real-hosts STATE_DIR] [PORT]`: runs the ECS/VPC emulator on 127.0.0.1
//! until interrupted, and prints how to point the provider (or the aliyun CLI) at it. With
//! `--real-hosts`, every instance is a namespace host of this machine (root only), its files
//! under STATE_DIR; they are destroyed when the emulator stops.

use std::io::Write;
use std::process::ExitCode;

use strata_provider_alicloud::emulator::{Emulator, EmulatorConfig, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET};

#[tokio::main]
async fn main() -> ExitCode {
    let usage = || {
        let _ = writeln!(std::io::stderr(), "usage: alicloud-emulator [--real-hosts STATE_DIR] [PORT]");
        ExitCode::from(2)
    };
    let mut port = 0;
    let mut real_hosts = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--real-hosts" => match args.next() {
                Some(dir) => real_hosts = Some(std::path::PathBuf::from(dir)),
                None => return usage(),
            },
            other => match other.parse::<u16>() {
                Ok(number) => port = number,
                Err(_) => return usage(),
            },
        }
    }
    let config = EmulatorConfig { port, real_hosts, ..EmulatorConfig::default() };
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "alicloud-emulator: cannot start on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let _ = writeln!(
        std::io::stdout(),
        "alicloud emulator at {}\n\
         export ALIBABA_CLOUD_ACCESS_KEY_ID={TEST_ACCESS_KEY_ID}\n\
         export ALIBABA_CLOUD_ACCESS_KEY_SECRET={TEST_ACCESS_KEY_SECRET}\n\
         provider \"alicloud\" {{ region = \"cn-hangzhou\"  endpoint = \"{}\" }}",
        emulator.endpoint(),
        emulator.endpoint()
    );
    let _ = tokio::signal::ctrl_c().await;
    drop(emulator);
    ExitCode::SUCCESS
}
