//! Starting a cluster's services wave by wave ([`start_waves`]): the services of a wave start
//! together on every node that runs them, each healthy everywhere before the next wave starts.
//! Shared by `emr_cluster` and `alicloud_emr_cluster`, which deploy the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use strata_deploy::{HostSpec, SessionPool};
use strata_provider_sdk::{Ctx, ProviderError};

use crate::deploy::{self, Masters, ServiceTarget};
use crate::render::HostPlan;
use crate::topology::Topology;

/// Every node's plan, login and address, by hostname (shared with `alicloud_emr_cluster`,
/// which deploys the same way onto ECS instances).
#[derive(Clone, Copy, Debug)]
pub struct NodeTargets<'a> {
    pub plans: &'a BTreeMap<String, HostPlan>,
    pub ssh: &'a BTreeMap<String, HostSpec>,
    pub ips: &'a BTreeMap<String, Ipv4Addr>,
}

/// Starts the services of `topology` wave by wave: the services of a wave start together on
/// every node that runs them, and each is healthy everywhere before the next wave starts.
pub async fn start_waves(
    pool: &Arc<SessionPool>,
    ctx: &Ctx,
    topology: &Topology,
    nodes: NodeTargets<'_>,
    masters: &Masters,
    started: Instant,
) -> Result<(), ProviderError> {
    start_waves_restarting(pool, ctx, topology, nodes, masters, started, &BTreeMap::new()).await
}

/// [`start_waves`], restarting (rolling, like a changed definition) the running services
/// `restart` names (service → hostnames) although their definition is unchanged: they read a
/// configuration file that was just rewritten.
pub async fn start_waves_restarting(
    pool: &Arc<SessionPool>,
    ctx: &Ctx,
    topology: &Topology,
    nodes: NodeTargets<'_>,
    masters: &Masters,
    started: Instant,
    restart: &BTreeMap<String, BTreeSet<String>>,
) -> Result<(), ProviderError> {
    let NodeTargets { plans, ssh, ips } = nodes;
    for wave in &topology.waves {
        // The services of a wave depend only on earlier waves: they start together.
        let starts = wave.iter().map(|service| {
            let targets: Vec<ServiceTarget> = topology
                .nodes_running(service)
                .into_iter()
                .map(|node| {
                    let planned = plans[&node.hostname]
                        .services
                        .iter()
                        .find(|planned| planned.service.name == service.name)
                        .expect("a node running a service has it planned")
                        .clone();
                    let restart = restart.get(&service.name).is_some_and(|hosts| hosts.contains(&node.hostname));
                    ServiceTarget { ssh: ssh[&node.hostname].clone(), ip: ips[&node.hostname], planned, restart }
                })
                .collect();
            let name = service.name.as_str();
            async move {
                if targets.is_empty() {
                    return Ok(None);
                }
                let report = |message: String| ctx.status(message);
                deploy::start_service(pool, name, targets, masters, report).await.map(|done| Some((name, done)))
            }
        });
        for (name, done) in futures::future::try_join_all(starts).await?.into_iter().flatten() {
            ctx.log().info(&format!(
                "{} {}: {name} healthy after {:.1?} (started on {:?}, restarted on {:?})",
                ctx.type_name(),
                topology.name,
                started.elapsed(),
                done.started,
                done.restarted
            ));
        }
    }
    Ok(())
}
