//! Bounding provider calls by a resource's `timeouts` block. When the limit passes, the call's
//! future is dropped (a plugin client turns that into a cancel message) and the resource fails
//! with a diagnostic that names the limit and how to raise it.

use std::future::Future;
use std::time::Duration;

use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
use strata_config::{Config, Timeouts, format_duration};
use strata_diagnostics::{Diagnostic, Span};
use tokio::time::Instant;

use crate::checks::provider_name;

/// Which limit of a `timeouts` block applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeoutKind {
    Create,
    Update,
    Delete,
    Read,
}

impl TimeoutKind {
    fn key(self) -> &'static str {
        match self {
            TimeoutKind::Create => "create",
            TimeoutKind::Update => "update",
            TimeoutKind::Delete => "delete",
            TimeoutKind::Read => "read",
        }
    }

    fn doing(self) -> &'static str {
        match self {
            TimeoutKind::Create => "creating",
            TimeoutKind::Update => "updating",
            TimeoutKind::Delete => "deleting",
            TimeoutKind::Read => "reading",
        }
    }

    /// What is known of the object after the limit passed.
    fn consequence(self) -> &'static str {
        match self {
            TimeoutKind::Create => {
                "Whether the object was made is unknown: its intent record is kept, and the next plan asks the provider for it."
            }
            TimeoutKind::Update => "The object may be partly updated; the next plan reads it again.",
            TimeoutKind::Delete => "The object may still exist, so it stays in state; the next plan reads it again.",
            TimeoutKind::Read => "Nothing was changed.",
        }
    }
}

/// The limit on one operation of one resource instance; the clock starts when it is made, so
/// several calls (the final plan and the create) share one limit.
pub(crate) struct Limit<'a> {
    kind: TimeoutKind,
    limit: Option<(Duration, Instant)>,
    span: Option<Span>,
    provider: &'a ProviderConfigAddr,
    addr: &'a ResourceInstanceAddr,
}

impl<'a> Limit<'a> {
    pub(crate) fn start(
        timeouts: &Timeouts,
        kind: TimeoutKind,
        provider: &'a ProviderConfigAddr,
        addr: &'a ResourceInstanceAddr,
    ) -> Limit<'a> {
        let duration = match kind {
            TimeoutKind::Create => timeouts.create,
            TimeoutKind::Update => timeouts.update,
            TimeoutKind::Delete => timeouts.delete,
            TimeoutKind::Read => timeouts.read,
        };
        // A limit too far away to represent is no limit.
        let limit = duration.and_then(|d| Some((d, Instant::now().checked_add(d)?)));
        Limit { kind, limit, span: timeouts.span, provider, addr }
    }

    /// Runs `call` until it finishes or the limit passes (the call is then dropped).
    pub(crate) async fn run<T>(&self, call: impl Future<Output = T>) -> Result<T, Diagnostic> {
        self.run_with(call, self.kind.consequence()).await
    }

    /// Like [`Limit::run`], for the plan made again before a create or update: when the limit
    /// passes there, nothing was changed yet.
    pub(crate) async fn run_final_plan<T>(&self, call: impl Future<Output = T>) -> Result<T, Diagnostic> {
        self.run_with(
            call,
            "The time ran out while the change was planned again with final values, so nothing was changed.",
        )
        .await
    }

    async fn run_with<T>(&self, call: impl Future<Output = T>, consequence: &str) -> Result<T, Diagnostic> {
        let Some((duration, deadline)) = self.limit else { return Ok(call.await) };
        tokio::time::timeout_at(deadline, call).await.map_err(|_| self.exceeded(duration, consequence))
    }

    fn exceeded(&self, duration: Duration, consequence: &str) -> Diagnostic {
        let key = self.kind.key();
        Diagnostic::error(
            "Provider operation timed out",
            format!(
                "Provider {} did not finish {} {} within {} (timeouts.{key}). {}",
                provider_name(self.provider),
                self.kind.doing(),
                self.addr,
                format_duration(duration),
                consequence
            ),
        )
        .with_subject(self.span)
        .with_hint(format!(
            "if it only needs longer, raise the limit in its resource block: timeouts {{ {key} = \"{}\" }}",
            format_duration(duration.saturating_mul(2))
        ))
    }
}

/// The `timeouts` block of an instance's resource; none when the configuration no longer has
/// the resource (an orphan being deleted).
pub(crate) fn of(config: &Config, addr: &ResourceInstanceAddr) -> Timeouts {
    config
        .module(&addr.resource.module)
        .and_then(|node| node.module.resources.get(&addr.resource.resource))
        .map(|resource| resource.timeouts.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
    use strata_config::Timeouts;

    use super::{Limit, TimeoutKind};

    #[tokio::test]
    async fn a_call_past_its_limit_is_dropped_with_a_diagnostic() {
        let provider = ProviderConfigAddr::default_for("strata");
        let addr: ResourceInstanceAddr = "test_thing.a".parse().unwrap();
        let timeouts = Timeouts { create: Some(Duration::from_millis(200)), ..Timeouts::default() };
        let limit = Limit::start(&timeouts, TimeoutKind::Create, &provider, &addr);
        assert_eq!(limit.run(async { 7 }).await.unwrap(), 7);
        let started = std::time::Instant::now();
        let d = limit.run(tokio::time::sleep(Duration::from_secs(60))).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(30));
        assert_eq!(d.summary, "Provider operation timed out");
        assert!(
            d.detail.starts_with(
                "Provider \"strata\" did not finish creating test_thing.a within 200ms (timeouts.create)."
            ),
            "{}",
            d.detail
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("if it only needs longer, raise the limit in its resource block: timeouts { create = \"400ms\" }")
        );
        // No limit set for reads: nothing is bounded.
        let unbounded = Limit::start(&timeouts, TimeoutKind::Read, &provider, &addr);
        assert!(unbounded.run(tokio::time::sleep(Duration::from_millis(300))).await.is_ok());
        // A limit beyond what a clock can hold is no limit, not a panic.
        let far = Timeouts { read: Some(Duration::MAX), ..Timeouts::default() };
        assert!(Limit::start(&far, TimeoutKind::Read, &provider, &addr).run(async {}).await.is_ok());
    }
}
