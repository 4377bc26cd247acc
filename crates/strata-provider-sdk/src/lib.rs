//! Write a Strata provider plugin: implement [`strata_provider::Provider`] (the same trait the
//! engine uses for built-in providers), then serve it from `main`:
//!
//! ```no_run
//! # use strata_provider_sdk::{PluginInfo, run};
//! # fn provider() -> std::sync::Arc<dyn strata_provider::Provider> { unimplemented!() }
//! fn main() -> std::process::ExitCode {
//!     run(provider(), PluginInfo { name: "example", version: env!("CARGO_PKG_VERSION") })
//! }
//! ```
//!
//! [`run`] speaks the plugin protocol (`strata-plugin-protocol`) on stdin/stdout: the
//! handshake, every request (each in its own task, so the engine's parallelism is real),
//! progress reports from [`strata_provider::ProgressSink`], cancellation of one request, and
//! `stop`. The plugin's log goes to stderr ([`log`]); the engine shows it with `--verbose`
//! or `STRATA_LOG`, and quotes its last lines when the plugin fails.

mod dispatch;
pub mod log;
mod server;

pub use server::{PluginInfo, run, serve};
