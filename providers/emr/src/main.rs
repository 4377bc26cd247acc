//! `strata-provider-emr`: the `emr` provider (`emr_cluster`: ZooKeeper and Spark standalone
//! clusters on local namespace hosts) served as a plugin over the plugin protocol.

use std::process::ExitCode;

fn main() -> ExitCode {
    strata_provider_emr::provider().run()
}
