//! `strata-provider-strata`: the built-in provider served as a plugin over the plugin
//! protocol. The engine runs the provider in process by default; `STRATA_BUILTIN_PROVIDERS=plugin`
//! makes it start this executable instead.

use std::process::ExitCode;
use std::sync::Arc;

use strata_provider_sdk::{PluginInfo, run};
use strata_provider_strata::StrataProvider;

fn main() -> ExitCode {
    run(Arc::new(StrataProvider::new()), PluginInfo { name: "strata", version: env!("CARGO_PKG_VERSION") })
}
