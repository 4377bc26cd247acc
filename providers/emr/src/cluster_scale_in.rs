//! Scale in of an `emr_cluster` ([`remove_hosts`]): the last step of a converge, for the hosts
//! no node group needs any more. When the cluster's Spark decommissions workers, the Spark
//! workers of those hosts are asked to decommission first (SIGPWR) and the leading master is
//! polled, bounded, until none of them is ALIVE or runs executors; then every service on them
//! stops in reverse start order and the hosts are destroyed, highest index first.
//!
//! Separate from `cluster.rs` because it is the one part of a converge that takes hosts away,
//! with its own waiting and its own failure policy: decommissioning never fails a scale in,
//! a worker that cannot be asked or a master that does not answer in time is a warning. The
//! pure parts (whether the cluster's Spark decommissions, the command, what the master's JSON
//! says) are in [`crate::decommission`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use strata_deploy::{ExecOptions, ServiceSpec, SessionPool};
use strata_provider_local::{HostInfo, Network};
use strata_provider_sdk::{Ctx, ProviderError};

use crate::cluster::blocking;
use crate::decommission;
use crate::deploy::{self, Masters};
use crate::health::{self, Attempt};
use crate::release::SPARK_WORKER_SERVICE;
use crate::render::unit_name;
use crate::topology::Topology;

/// How long a scale in waits for the Spark master to be done with decommissioned workers.
const DECOMMISSION_TIMEOUT: Duration = Duration::from_secs(60);

/// Scale in: with `masters` (the cluster's Spark decommissions workers), decommissions the
/// Spark workers of `hosts` first and waits (bounded) until the leading master is done with
/// them; then stops every service on `hosts` (reverse start order) and destroys them,
/// highest index first.
pub(crate) async fn remove_hosts(
    pool: &Arc<SessionPool>,
    ctx: &Ctx,
    topology: &Topology,
    network: &Arc<Network>,
    key: &str,
    mut hosts: Vec<HostInfo>,
    masters: Option<&Masters>,
) -> Result<(), ProviderError> {
    hosts.sort_by(|a, b| b.hostname.cmp(&a.hostname));
    if let Some(masters) = masters {
        decommission_workers(pool, ctx, &hosts, key, masters).await;
    }
    let mut targets = Vec::new();
    for info in &hosts {
        targets.push((
            deploy::ssh_spec(&info.hostname, &info.ip.to_string(), info.ssh_port, &info.host_key_fingerprint, key)?,
            stop_order(topology, &info.id),
        ));
    }
    for failure in deploy::stop_services(pool, targets, true).await {
        ctx.log().warn(&format!("stopping services before removing a host: {failure}"));
    }
    let total = hosts.len() as u64;
    for (done, info) in hosts.into_iter().enumerate() {
        pool.close(&info.hostname);
        let network = Arc::clone(network);
        let id = info.id.clone();
        blocking(move || network.destroy_host(&id)).await?.map_err(|error| ProviderError::new(error.to_string()))?;
        ctx.progress(done as u64 + 1, total, format!("removed {}", info.hostname));
    }
    Ok(())
}

/// Asks the Spark worker of each of `hosts` (highest index first) to decommission (SIGPWR,
/// [`decommission::command`]), then waits until the leading master lists none of them
/// ALIVE and none it marked DECOMMISSIONED runs executors, at most
/// [`DECOMMISSION_TIMEOUT`]. Never fails the scale in: a worker that cannot be asked, or a
/// master that does not answer in time, is a warning, and the worker is stopped anyway.
async fn decommission_workers(pool: &Arc<SessionPool>, ctx: &Ctx, hosts: &[HostInfo], key: &str, masters: &Masters) {
    let started = Instant::now();
    let mut asked: Vec<(String, String)> = Vec::new();
    for info in hosts {
        let spec = match deploy::ssh_spec(
            &info.hostname,
            &info.ip.to_string(),
            info.ssh_port,
            &info.host_key_fingerprint,
            key,
        ) {
            Ok(spec) => spec,
            Err(error) => {
                ctx.log().warn(&format!("decommissioning {}: {}", info.hostname, error.message));
                continue;
            }
        };
        let pid_file = ServiceSpec::new(unit_name(SPARK_WORKER_SERVICE, &info.id), "true").pid_file();
        let command = decommission::command(&pid_file);
        let options = ExecOptions::with_timeout(Duration::from_secs(30));
        match deploy::on_host(pool, &spec, move |connection| connection.run(&command, &options)).await {
            Ok(output) if output.stdout_text().trim() == "sent" => {
                asked.push((info.hostname.clone(), info.ip.to_string()));
            }
            Ok(_) => {}
            Err(error) => ctx.log().warn(&format!("decommissioning the worker of {}: {error}", info.hostname)),
        }
    }
    if asked.is_empty() {
        return;
    }
    let names: Vec<String> = asked.iter().map(|(name, _)| name.clone()).collect();
    ctx.status(format!("decommissioning the Spark workers of {}", names.join(", ")));
    let (masters, ips) = (masters.clone(), asked.iter().map(|(_, ip)| ip.clone()).collect::<Vec<_>>());
    let waited = blocking(move || {
        health::wait_until(DECOMMISSION_TIMEOUT, || {
            let status = masters.leader().map_err(Attempt::Retry)?;
            match ips.iter().find(|ip| !decommission::done(&status, ip)) {
                Some(ip) => Err(Attempt::Retry(format!(
                    "the Spark master still lists the worker on {ip} ALIVE or running executors"
                ))),
                None => Ok(ips.iter().filter(|ip| decommission::decommissioned(&status, ip)).count()),
            }
        })
    })
    .await;
    match waited {
        Ok(Ok(count)) => ctx.status(format!(
            "{} decommissioned after {:.1?} ({count} listed DECOMMISSIONED by the master)",
            names.join(", "),
            started.elapsed()
        )),
        Ok(Err(reason)) => {
            ctx.log().warn(&format!("decommissioning {}: {reason}; stopping them anyway", names.join(", ")));
            ctx.status(format!("{} not decommissioned in time: stopped anyway", names.join(", ")));
        }
        Err(error) => ctx.log().warn(&format!("decommissioning {}: {}", names.join(", "), error.message)),
    }
}

/// Every service of the release's chosen components on host `host_id`, in stop order (reverse
/// start order), as specs good for stopping (stopping needs only the name).
fn stop_order(topology: &Topology, host_id: &str) -> Vec<ServiceSpec> {
    topology
        .waves
        .iter()
        .rev()
        .flatten()
        .map(|service| ServiceSpec::new(unit_name(&service.name, host_id), "true"))
        .collect()
}
