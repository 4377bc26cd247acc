//! The resource types, and what they share: the create token ([`token`]), waiting for a state
//! ([`poll`]) and for dependencies to go away ([`settle`]).

pub mod delivery;
pub mod delivery_ssh;
pub mod emr_cluster;
pub mod emr_cluster_nodes;
pub mod host_keys;
pub mod instance_group;
pub mod key_pair;
pub mod offerings_check;
pub mod security_group;
pub mod vpc;
pub mod vswitch;

use std::future::Future;
use std::time::Instant;

use strata_provider::ProviderError;
use strata_provider_sdk::Ctx;

use crate::client::CallError;
use crate::settings::PollPolicy;

/// The create's idempotency token; a fresh one when the caller has none (a resource used
/// outside the engine).
pub fn token(ctx: &Ctx) -> String {
    match ctx.idempotency_token() {
        "" => uuid::Uuid::new_v4().to_string(),
        token => token.to_owned(),
    }
}

/// Calls `check` until it returns a value, waiting between calls as the policy says (the
/// engine's `timeouts` bound the whole wait).
///
/// # Errors
/// The first error `check` returns.
pub async fn poll<T, F, Fut>(policy: PollPolicy, mut check: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let mut delay = policy.first;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 3 / 2).min(policy.max);
    }
}

/// Calls `attempt` again while it fails with an error code in `codes` (a dependency that is
/// still going away: a deleted instance still `Stopping`), for at most `policy.settle`.
///
/// # Errors
/// Any other error, or the last one once the time is up.
pub async fn settle<F, Fut>(policy: PollPolicy, codes: &[&str], mut attempt: F) -> Result<(), CallError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), CallError>>,
{
    let started = Instant::now();
    let mut delay = policy.first;
    loop {
        match attempt().await {
            Err(error)
                if error.code().is_some_and(|code| codes.contains(&code)) && started.elapsed() < policy.settle =>
            {
                tokio::time::sleep(delay).await;
                delay = (delay * 3 / 2).min(policy.max);
            }
            other => return other,
        }
    }
}

/// True for an error answer with this code.
pub fn is_code(error: &CallError, code: &str) -> bool {
    error.code() == Some(code)
}
