//! `strata-provider-alicloud`: the `alicloud` provider as a plugin (stdin/stdout frames).

use std::process::ExitCode;

fn main() -> ExitCode {
    strata_provider_alicloud::provider().run()
}
