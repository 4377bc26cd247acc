//! The connector of [`super::delivery`]: runs its commands on every host at once over SSH
//! (the emr provider's session pool), reading facts, downloading, reading facts again to
//! verify, then installing. A host with any mismatch installs nothing; the error names every
//! mismatch. URLs in messages are [`redact`]ed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use strata_deploy::{Connection, DeployError, ExecOptions, HostSpec, SessionPool};
use strata_provider_emr::deploy;
use strata_provider_sdk::{Ctx, ProviderError};
use tokio::task::JoinSet;

use super::delivery::{
    Desired, Mismatch, discard_command, download_command, facts_command, install_commands, parse_facts, plan, redact,
    verify,
};

/// How long reading facts (sha256 of the files present) may take.
const FACTS_TIMEOUT: Duration = Duration::from_secs(300);
/// How long one component's downloads may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(1800);
/// How long one install command may take (pip builds pyspark's wheel).
const INSTALL_TIMEOUT: Duration = Duration::from_secs(1800);

/// What happened on one host.
#[derive(Clone, Debug, PartialEq)]
pub enum HostOutcome {
    /// Every marker was the wanted one: no command but the facts ran.
    Installed,
    /// Components delivered, with the time downloading (and verifying) and installing took.
    Delivered { components: Vec<String>, download: Duration, install: Duration },
    /// Downloaded files that are not the catalog's: nothing was installed.
    Mismatched(Vec<Mismatch>),
}

fn on(connection: &mut Connection, command: &str, timeout: Duration) -> Result<String, DeployError> {
    Ok(connection.run_checked(command, &ExecOptions::with_timeout(timeout))?.stdout_text().into_owned())
}

/// The whole delivery on one host.
fn deliver_to(
    connection: &mut Connection,
    host: &str,
    mirror: &str,
    desired: &[Desired],
) -> Result<HostOutcome, DeployError> {
    let facts = parse_facts(&on(connection, &facts_command(desired), FACTS_TIMEOUT)?);
    let deliveries = plan(&facts, desired);
    if deliveries.is_empty() {
        return Ok(HostOutcome::Installed);
    }
    let started = Instant::now();
    for delivery in deliveries.iter().filter(|delivery| !delivery.downloads.is_empty()) {
        on(connection, &download_command(mirror, delivery), DOWNLOAD_TIMEOUT)?;
    }
    let after = parse_facts(&on(connection, &facts_command(desired), FACTS_TIMEOUT)?);
    let mismatches: Vec<Mismatch> = deliveries.iter().flat_map(|delivery| verify(host, delivery, &after)).collect();
    if !mismatches.is_empty() {
        for delivery in &deliveries {
            let _ = on(connection, &discard_command(delivery), FACTS_TIMEOUT);
        }
        return Ok(HostOutcome::Mismatched(mismatches));
    }
    let download = started.elapsed();
    let started = Instant::now();
    for delivery in &deliveries {
        for command in install_commands(delivery) {
            on(connection, &command, INSTALL_TIMEOUT)?;
        }
    }
    let components = deliveries.iter().map(|delivery| delivery.desired.component.clone()).collect();
    Ok(HostOutcome::Delivered { components, download, install: started.elapsed() })
}

/// Delivers each host's `desired` components from `mirror`, all hosts at once; every host's
/// outcome, or an error naming every host that failed (mismatches first, with expected and
/// actual sha256).
pub async fn deliver(
    pool: &Arc<SessionPool>,
    ctx: &Ctx,
    mirror: &str,
    targets: Vec<(HostSpec, Vec<Desired>)>,
) -> Result<Vec<(String, HostOutcome)>, ProviderError> {
    let total = targets.len() as u64;
    let started = Instant::now();
    let mut running = JoinSet::new();
    for (spec, desired) in targets {
        let (pool, mirror) = (Arc::clone(pool), mirror.to_string());
        running.spawn(async move {
            let host = format!("{} ({})", spec.name, spec.address);
            let name = spec.name.clone();
            let result =
                deploy::on_host(&pool, &spec, move |connection| deliver_to(connection, &host, &mirror, &desired)).await;
            (name, result)
        });
    }
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    let mut mismatches = Vec::new();
    let mut finished = 0;
    while let Some(joined) = running.join_next().await {
        let (host, result) = joined.map_err(|error| ProviderError::new(format!("delivering artifacts: {error}")))?;
        match result {
            Ok(HostOutcome::Mismatched(found)) => mismatches.extend(found),
            Ok(outcome) => outcomes.push((host, outcome)),
            // The error names the host; the mirror's URL is redacted.
            Err(error) => failures.push(error.to_string().replace(mirror, &redact(mirror))),
        }
        finished += 1;
        ctx.progress(finished, total, "hosts have the release's artifacts");
    }
    if !mismatches.is_empty() {
        let lines: Vec<String> = mismatches.iter().map(|mismatch| format!("  {mismatch}")).collect();
        return Err(ProviderError::at(
            "artifact_mirror",
            format!(
                "Artifact checksum mismatch: files downloaded from {} are not the ones the release catalog pins, \
                 so nothing of their components was installed on those hosts (the downloads were removed):\n{}\n\
                 hint: make the mirror serve the catalog's files (`.ci/install-components.sh` keeps them, verified, \
                 in the component cache's artifacts/ directory)",
                redact(mirror),
                lines.join("\n")
            ),
        ));
    }
    if !failures.is_empty() {
        return Err(ProviderError::new(format!(
            "delivering the release's artifacts from {} failed:\n  {}",
            redact(mirror),
            failures.join("\n  ")
        )));
    }
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    let delivered: Vec<&(String, HostOutcome)> =
        outcomes.iter().filter(|(_, outcome)| matches!(outcome, HostOutcome::Delivered { .. })).collect();
    if delivered.is_empty() {
        ctx.status(format!("artifacts already installed on {total}/{total} hosts"));
    } else {
        let longest = |pick: fn(&HostOutcome) -> Duration| {
            delivered.iter().map(|(_, outcome)| pick(outcome)).max().unwrap_or_default().as_secs_f64()
        };
        let download = longest(|outcome| match outcome {
            HostOutcome::Delivered { download, .. } => *download,
            _ => Duration::ZERO,
        });
        let install = longest(|outcome| match outcome {
            HostOutcome::Delivered { install, .. } => *install,
            _ => Duration::ZERO,
        });
        let hosts = if delivered.len() == 1 { "host" } else { "hosts" };
        ctx.status(format!(
            "artifacts delivered to {} {hosts} in {:.1} s (download and verify {download:.1} s, install {install:.1} s)",
            delivered.len(),
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(outcomes)
}
