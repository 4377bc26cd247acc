//! `strata-provider-test`: a provider plugin that misbehaves when asked, so the engine's
//! handling of every failure is tested against a real process speaking the real protocol.
//!
//! Per resource, `test_thing`'s `behavior` picks what apply does (see [`thing`]);
//! `test_zoned` has an optional+computed argument (see [`zoned`]). For the
//! whole process, `STRATA_TEST_PROVIDER` picks a startup failure:
//! - `wrong_protocol`: answers the handshake with protocol version 99;
//! - `garbage_at_start`: writes a line that is not a frame before anything else;
//! - `crash_at_start`: exits with code 3 before the handshake;
//! - `hang_at_start`: never answers.
//!
//! `STRATA_TEST_PROVIDER_LIMIT=N` declares a concurrency limit of N in the schema.
//!
//! The provider is built with the SDK's typed layer (`ProviderBuilder`, `#[derive(Model)]`),
//! so the misbehaviour scenarios exercise it through the real protocol.

mod thing;
mod zoned;

use std::io::{BufRead, Write};
use std::process::ExitCode;

use strata_plugin_protocol::{Frame, Reply, decode_frame, encode_frame};
use strata_provider_sdk::PluginInfo;

const INFO: PluginInfo = PluginInfo { name: "test", version: "0.0.1-test" };

fn main() -> ExitCode {
    match std::env::var("STRATA_TEST_PROVIDER").as_deref() {
        Ok("wrong_protocol") => wrong_protocol(),
        Ok("garbage_at_start") => {
            let _ = writeln!(std::io::stdout(), "Starting test provider v0.0.1...");
            std::thread::sleep(std::time::Duration::from_secs(30));
            ExitCode::FAILURE
        }
        Ok("crash_at_start") => {
            let _ = writeln!(std::io::stderr(), "test provider: crashing at start as asked");
            ExitCode::from(3)
        }
        Ok("hang_at_start") => {
            std::thread::sleep(std::time::Duration::from_secs(120));
            ExitCode::FAILURE
        }
        _ => thing::provider(INFO.name, INFO.version).run(),
    }
}

/// Answers the handshake as a plugin of protocol version 99 would, then waits to be closed.
fn wrong_protocol() -> ExitCode {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if let Ok(Frame::Request { id, .. }) = decode_frame(&line) {
            let reply = Reply::Handshake {
                protocol_version: 99,
                provider_name: INFO.name.into(),
                provider_version: INFO.version.into(),
            };
            if let Ok(text) = encode_frame(&Frame::response(id, Ok(reply))) {
                let mut stdout = std::io::stdout();
                let _ = stdout.write_all(text.as_bytes());
                let _ = stdout.flush();
            }
        }
    }
    ExitCode::SUCCESS
}
