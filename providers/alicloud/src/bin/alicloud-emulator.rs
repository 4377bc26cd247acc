//! `alicloud-emulator [PORT]`: runs the ECS/VPC emulator on 127.0.0.1 until interrupted, and
//! prints how to point the provider (or the aliyun CLI) at it.

use std::io::Write;
use std::process::ExitCode;

use strata_provider_alicloud::emulator::{Emulator, EmulatorConfig, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET};

#[tokio::main]
async fn main() -> ExitCode {
    let port = match std::env::args().nth(1).map(|port| port.parse::<u16>()) {
        None => 0,
        Some(Ok(port)) => port,
        Some(Err(_)) => {
            let _ = writeln!(std::io::stderr(), "usage: alicloud-emulator [PORT]");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start(EmulatorConfig { port, ..EmulatorConfig::default() }).await {
        Ok(emulator) => emulator,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "alicloud-emulator: cannot listen on 127.0.0.1:{port}: {error}");
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
