//! `strata-provider-local`: the `local` provider (`local_host`: hosts on this machine made
//! from Linux namespaces) served as a plugin over the plugin protocol. The engine starts it
//! with the working directory of the run, which names the provider's network
//! (see [`strata_provider_local::provider`]).

use std::process::ExitCode;
use std::sync::Arc;

use strata_provider_local::provider::LocalProvider;
use strata_provider_sdk::{PluginInfo, run};

fn main() -> ExitCode {
    run(Arc::new(LocalProvider::new()), PluginInfo { name: "local", version: env!("CARGO_PKG_VERSION") })
}
