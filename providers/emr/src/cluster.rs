//! `emr_cluster` ([`ClusterResource`]): plan, create, read, update, delete.
//!
//! Create and update are one operation, [`ClusterResource::converge`]: make the hosts the
//! topology needs (keeping running ones, remaking broken ones), link the components and write
//! the configuration files on every host, then start the release's services wave by wave in
//! dependency order across the whole cluster, each health-checked before its dependents
//! start; finally stop and remove hosts no node group needs any more. Running it again on a
//! cluster that matches changes nothing, which is how drift is repaired: a dead service is
//! started again, a changed configuration file restarts the services that read it (one host
//! at a time), and so does a file edited on a node, which the converge writes back.
//!
//! Refresh ([`crate::cluster_refresh`]) reads, in the same round trip per host as the
//! services' status, every configuration file against what Strata rendered (`config_files`,
//! [`crate::config_files`]) and where every component link points (`installed_versions`,
//! [`crate::installed`]);
//! the plan renders them from the recorded hosts, so a hand edit is a line diff and the plan
//! names the services it restarts (`restarts`). A create also runs the bootstrap actions
//! ([`crate::bootstrap`]), and so does a scale out on the nodes it adds; changing one replaces
//! the cluster. Adding or removing services (`services`) is an update too: the services added
//! start in their waves, those removed stop and their components' files go
//! ([`crate::service_change`]).
//!
//! A patch-level change of `release` is an update too, the same converge with the new
//! release's files and links ([`crate::upgrade`]); any other release change replaces the
//! cluster. A scale in ([`crate::cluster_scale_in`]) decommissions the removed nodes' Spark
//! workers first when the cluster's Spark enables it ([`crate::decommission`]), then stops and
//! removes the hosts.
//!
//! A cluster with `metastore = emr_metastore.X.id` finds the metastore through its record
//! ([`crate::metastore_record`]), routes its network to the metastore's
//! ([`strata_provider_local::routing`]) and gives Spark a `hive-site.xml` naming it
//! ([`crate::metastore_client`]). Changing `metastore` is an update in place: the routing
//! follows, `hive-site.xml` is rewritten (drivers read it when they start) and the Spark
//! daemons restart one host at a time because `spark-defaults.conf` changes (the warehouse and
//! the JDBC driver's class path). The hosts, their services and the cluster's own files stay.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use strata_deploy::{ExecOptions, HostSpec, ServiceSpec, SessionPool, shell_quote};
use strata_provider_sdk::{Ctx, Plan, ProviderError, Resource, async_trait};
use strata_release::{ArtifactKind, Component};

use crate::bootstrap;
use crate::cluster_metastore::{self, ClusterNetwork};
pub use crate::cluster_plan::{known_blocks, unknown_private_ips};
use crate::cluster_refresh;
use crate::cluster_scale_in;
use crate::config_files::{self, managed_files, rendered_document};
use crate::decommission;
use crate::deploy::{self, Masters, Preparation};
use crate::installed;
use crate::machine::{self, ClusterHosts};
use crate::metastore::read_metastore;
use crate::metastore_client::JDBC_DRIVER_JAR;
use crate::model::{AFTER_STARTED, BEFORE_INSTALL, CLUSTER_RUNNING, Cluster, ClusterHost, Settings};
use crate::record::{self, ClusterRecord, NodeRecord};
use crate::release::{self, POSTGRESQL, SPARK_MASTER_SERVICE};
use crate::render::{Layout, component_directory, unit_name};
use crate::service_change;
use crate::settings::Resolved;
use crate::topology::Topology;
use crate::upgrade;
pub use crate::waves::{NodeTargets, start_waves, start_waves_restarting};

pub const EMR_CLUSTER: &str = "emr_cluster";
/// `status` of a cluster with a service that does not run.
pub const DEGRADED: &str = "DEGRADED";
/// Prefix of a `services_status` value whose host does not work.
pub(crate) const HOST_PROBLEM: &str = "host ";

/// The resource; it keeps one SSH session per host for the plugin's lifetime.
pub struct ClusterResource {
    pool: Arc<SessionPool>,
}

impl Default for ClusterResource {
    fn default() -> Self {
        ClusterResource { pool: deploy::session_pool() }
    }
}

/// The provider block, resolved against the working directory.
pub fn settings(ctx: &Ctx) -> Result<Resolved, ProviderError> {
    let working_dir = std::env::current_dir()
        .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
    Resolved::new(ctx.provider_config::<Settings>(), &working_dir)
}

/// Runs blocking work (the host machinery, health probes) off the async runtime.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ProviderError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ProviderError::outcome_unknown(format!("the emr provider's worker thread failed: {error}")))
}

pub(crate) fn topology_of(cluster: &Cluster) -> Result<Topology, ProviderError> {
    Topology::cluster(
        &cluster.name,
        &cluster.release,
        &cluster.services,
        &cluster.node_group,
        &cluster.config,
        cluster.metastore.is_some(),
    )
}

/// Checks this machine has `components` where every node sees them: Debian packages' homes
/// under `/usr`, and PyPI artifacts complete in the component cache, each with the sha256 the
/// catalog records. An error says how to install them.
pub fn check_components(
    settings: &Resolved,
    release: &str,
    components: &[&'static Component],
) -> Result<(), ProviderError> {
    let cache = settings.component_cache.to_string_lossy();
    for component in components {
        let missing = |what: String| {
            ProviderError::new(format!(
                "{} {} of {release} is not installed on this machine ({what}): run `bash .ci/install-components.sh` as \
                 root (it installs the release's artifacts where every host sees them)",
                component.key, component.version
            ))
        };
        let install_dir = component_directory(&cache, component, "install_dir").unwrap_or_default();
        let pypi: Vec<_> = component.artifacts.iter().filter(|artifact| artifact.kind == ArtifactKind::Pypi).collect();
        if !pypi.is_empty() {
            let dir = std::path::Path::new(&install_dir);
            if !dir.join(".strata-complete").exists() {
                return Err(missing(format!("{} is incomplete", dir.display())));
            }
            let recorded = std::fs::read_to_string(dir.join(".strata-artifact.sha256")).unwrap_or_default();
            for artifact in pypi {
                let (Some(file), Some(sha256)) = (artifact.file_name(), artifact.sha256.as_deref()) else { continue };
                let found = recorded.lines().any(|line| {
                    let mut fields = line.split_whitespace();
                    fields.next() == Some(sha256) && fields.next() == Some(file)
                });
                if !found {
                    return Err(missing(format!("{} holds no {file} with sha256 {sha256}", dir.display())));
                }
            }
        }
        let home = component_directory(&cache, component, "home").unwrap_or_default();
        if !std::path::Path::new(&home).exists() {
            return Err(missing(format!("{home} is missing")));
        }
        if component.key == "POSTGRESQL_JDBC" && !std::path::Path::new(JDBC_DRIVER_JAR).exists() {
            return Err(missing(format!("{JDBC_DRIVER_JAR} is missing")));
        }
    }
    Ok(())
}

impl ClusterResource {
    /// Brings the cluster `id` to `cluster` (see the module doc); returns its new state.
    /// `prior` is the state of an update (`None`: a create): services it has and the new
    /// configuration does not are stopped and their components' files removed; bootstrap
    /// actions run on every node of a create and on the nodes an update adds.
    async fn converge(
        &self,
        ctx: &Ctx,
        id: String,
        mut cluster: Cluster,
        prior: Option<&Cluster>,
    ) -> Result<Cluster, ProviderError> {
        let started = Instant::now();
        let settings = settings(ctx)?;
        let topology = topology_of(&cluster)?;
        let metastore = match &cluster.metastore {
            Some(metastore) => Some(read_metastore(&settings, metastore)?),
            None => None,
        };
        let mut components = topology.components.clone();
        if metastore.is_some() && !topology.has_component("POSTGRESQL_JDBC") {
            components.extend(topology.release.component("POSTGRESQL_JDBC"));
        }
        check_components(&settings, &topology.release.name.to_string(), &components)?;

        let hosts_ctx = ctx.clone();
        let (host_settings, host_topology, host_id) = (settings.clone(), topology.clone(), id.clone());
        let (network, hosts) = blocking(move || {
            let network = machine::open_or_make(&host_settings, &host_id)?;
            let report = |ready: usize, total: usize| hosts_ctx.progress(ready as u64, total as u64, "hosts ready");
            let hosts = machine::ensure_hosts(&network, &host_topology, &host_id, &report)?;
            Ok::<_, ProviderError>((network, hosts))
        })
        .await??;
        let ClusterHosts { nodes, extra, created } = hosts;
        let network = Arc::new(network);
        let key = machine::client_key(&network);
        ctx.log().info(&format!("cluster {id}: {} hosts ({created} new) after {:.1?}", nodes.len(), started.elapsed()));
        // Routes to the metastore's network (and none anywhere else); none without one.
        let client = machine::endpoint(&network);
        let server = metastore.as_ref().map(|metastore| metastore.endpoint()).transpose()?;
        blocking(move || match &server {
            Some(server) => strata_provider_local::routing::link(&client, server),
            None => strata_provider_local::routing::isolate(&client),
        })
        .await?
        .map_err(|error| ProviderError::new(format!("routing the cluster's network to its metastore: {error}")))?;

        let ips: BTreeMap<String, Ipv4Addr> =
            nodes.iter().map(|(node, info)| (node.hostname.clone(), info.ip)).collect();
        let cache = settings.component_cache.to_string_lossy().into_owned();
        let host_ids: BTreeMap<String, String> =
            nodes.iter().map(|(node, info)| (node.hostname.clone(), info.id.clone())).collect();
        let shared_dir = settings.shared_dir(&id);
        let shared = shared_dir.to_string_lossy().into_owned();
        let cidr = network.subnet().to_string();
        // With SPARK_THRIFT and no emr_metastore, the metastore database on the master.
        let own_metastore = if metastore.is_none() && topology.has_component(POSTGRESQL) {
            let (master, info) = nodes
                .iter()
                .find(|(node, _)| node.hostname == topology.master().hostname)
                .expect("a cluster has a master");
            let endpoint = machine::endpoint(&network);
            let cluster_network = ClusterNetwork {
                name: network.name().to_string(),
                bridge: endpoint.bridge.clone(),
                subnet: endpoint.subnet.to_string(),
                ssh_private_key_path: key.clone(),
            };
            let master = NodeRecord {
                hostname: master.hostname.clone(),
                ip: info.ip.to_string(),
                ssh_port: info.ssh_port,
                ssh_host_key_fingerprint: info.host_key_fingerprint.clone(),
            };
            Some(cluster_metastore::ensure(
                &settings.state_dir,
                &id,
                &cluster.name,
                &cluster.release,
                master,
                &shared,
                &cluster_network,
            )?)
        } else {
            None
        };
        let layout = Layout {
            topology: &topology,
            ips: &ips,
            host_ids: &host_ids,
            config: &cluster.config,
            component_cache: &cache,
            shared_dir: &shared,
            cluster_cidr: &cidr,
            metastore: metastore.as_ref().or(own_metastore.as_ref()),
            data_root: None,
        };
        std::fs::create_dir_all(&shared_dir)
            .map_err(|error| ProviderError::new(format!("creating {}: {error}", shared_dir.display())))?;
        let mut ssh = BTreeMap::new();
        let mut work = BTreeMap::new();
        let mut plans = BTreeMap::new();
        for (node, info) in &nodes {
            let plan = layout.host_plan(node)?;
            ssh.insert(
                node.hostname.clone(),
                deploy::ssh_spec(
                    &info.hostname,
                    &info.ip.to_string(),
                    info.ssh_port,
                    &info.host_key_fingerprint,
                    &key,
                )?,
            );
            work.insert(
                node.hostname.clone(),
                Preparation {
                    required: plan.required.clone(),
                    files: plan.files.clone(),
                    setup: plan.setup.clone(),
                    authorized_key: cluster.ssh_public_key.clone(),
                },
            );
            plans.insert(node.hostname.clone(), plan);
        }
        let specs: Vec<HostSpec> = ssh.values().cloned().collect();
        let total = specs.len() as u64;
        if let Some(before) = prior.and_then(|prior| topology_of(prior).ok()) {
            self.change_services(ctx, &service_change::plan(&before, &topology), &ssh, &host_ids).await?;
        }
        // Bootstrap actions: on every node of a create, on the nodes a scale out adds.
        let recorded: Option<Vec<String>> =
            prior.map(|prior| prior.hosts.iter().flatten().map(|host| host.name.clone()).collect());
        let bootstrap_hosts: Vec<HostSpec> =
            bootstrap::new_nodes(recorded.as_deref(), ssh.keys()).iter().map(|host| ssh[host].clone()).collect();
        if !bootstrap_hosts.is_empty() {
            bootstrap::run(&self.pool, ctx, &bootstrap_hosts, &cluster.bootstrap_action, BEFORE_INSTALL).await?;
        }
        let prepared = deploy::prepare_files(&self.pool, &specs, work, |done, _| {
            ctx.progress(done as u64, total, "components linked, configuration written")
        })
        .await?;
        let changed = prepared.values().filter(|prepared| prepared.changed).count();
        ctx.log().info(&format!("cluster {id}: files changed on {changed} hosts after {:.1?}", started.elapsed()));
        // A configuration file written although its rendering is unchanged was edited on the
        // node: the services reading it restart, as for a change of the configuration.
        let relinked: BTreeMap<String, Vec<String>> =
            prepared.iter().map(|(host, prepared)| (host.clone(), prepared.relinked.clone())).collect();
        let written: BTreeMap<String, Vec<String>> =
            prepared.into_iter().map(|(host, prepared)| (host, prepared.written)).collect();
        let mut readers = config_files::readers_of_written(&topology, &plans, &written);
        // A component linked at another version (a release upgrade, or a link re-pointed by
        // hand and put back): its services on that node restart, like a file's readers.
        for (service, hosts) in upgrade::services_of_relinked(&topology, &relinked) {
            readers.entry(service).or_default().extend(hosts);
        }

        let masters = Masters {
            ips: release_nodes(&topology, SPARK_MASTER_SERVICE).iter().map(|node| ips[&node.hostname]).collect(),
            ui_port: release::port(topology.release, SPARK_MASTER_SERVICE, 1).unwrap_or(8080),
        };
        let targets = NodeTargets { plans: &plans, ssh: &ssh, ips: &ips };
        start_waves_restarting(&self.pool, ctx, &topology, targets, &masters, started, &readers).await?;
        if !bootstrap_hosts.is_empty() {
            bootstrap::run(&self.pool, ctx, &bootstrap_hosts, &cluster.bootstrap_action, AFTER_STARTED).await?;
        }

        if !extra.is_empty() {
            // Workers go gracefully when the cluster's Spark decommissions them (STRATA-1.0.1).
            let graceful = decommission::enabled(&topology, &cluster.config) && !masters.ips.is_empty();
            let masters = graceful.then_some(&masters);
            cluster_scale_in::remove_hosts(&self.pool, ctx, &topology, &network, &key, extra, masters).await?;
        }

        let mut hosts = Vec::new();
        let mut private_ips: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (node, info) in &nodes {
            private_ips.entry(node.node_group.clone()).or_default().push(info.ip.to_string());
            hosts.push(ClusterHost {
                name: node.hostname.clone(),
                ip: info.ip.to_string(),
                role: node.role.to_string(),
                node_group: node.node_group.clone(),
                id: info.id.clone(),
                ssh_host_key_fingerprint: info.host_key_fingerprint.clone(),
            });
        }
        for (name, group) in cluster.node_group.iter_mut() {
            group.private_ips = Some(private_ips.remove(name).unwrap_or_default());
        }
        let zookeeper = layout.zookeeper_connect();
        cluster.id = Some(id.clone());
        cluster.status = Some(CLUSTER_RUNNING.to_string());
        cluster.master_private_ip = Some(ips[&topology.master().hostname].to_string());
        cluster.master_url = Some(layout.master_url());
        cluster.master_ui_url = Some(layout.master_ui_url());
        cluster.sql_jdbc_url = layout.sql_jdbc_url();
        cluster.zookeeper_connect = Some(zookeeper);
        cluster.hosts = Some(hosts);
        cluster.services_status = Some(topology.expected_status());
        cluster.config_files = Some(rendered_document(&managed_files(&plans)));
        cluster.components = Some(topology.components_by_host());
        cluster.installed_versions = Some(installed::expected(&topology));
        cluster.start_order = Some(topology.start_order());
        if cluster.restarts.is_none() {
            cluster.restarts = Some(Vec::new());
        }
        let master_node = release_nodes(&topology, SPARK_MASTER_SERVICE).first().copied().unwrap_or(topology.master());
        let master = &nodes.iter().find(|(node, _)| node.hostname == master_node.hostname).expect("a master").1;
        let cluster_record = ClusterRecord {
            id: id.clone(),
            name: cluster.name.clone(),
            release: cluster.release.clone(),
            master_url: layout.master_url(),
            master_ui_url: layout.master_ui_url(),
            master: NodeRecord {
                hostname: master.hostname.clone(),
                ip: master.ip.to_string(),
                ssh_port: master.ssh_port,
                ssh_host_key_fingerprint: master.host_key_fingerprint.clone(),
            },
            ssh_private_key_path: key.clone(),
        };
        let state_dir = settings.state_dir.clone();
        let own_database = own_metastore.is_some();
        blocking(move || {
            if !own_database {
                // SPARK_THRIFT removed (or never there): no database of its own any more.
                cluster_metastore::remove(&state_dir, &cluster_record.id)?;
            }
            record::write(&state_dir, &cluster_record)
        })
        .await??;
        cluster.ssh_private_key_path = Some(key);
        ctx.log().info(&format!("cluster {id}: converged in {:.1?}", started.elapsed()));
        Ok(cluster)
    }

    /// Services removed from a running cluster: stops them on the nodes that ran them (stop
    /// order, launchers removed) and removes the files of the components those nodes no longer
    /// get (see [`service_change`]). Services added are started by the converge's waves.
    async fn change_services(
        &self,
        ctx: &Ctx,
        change: &service_change::ServiceChange,
        ssh: &BTreeMap<String, HostSpec>,
        host_ids: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        if !change.start.is_empty() {
            ctx.status(format!("adding {}", change.start.join(", ")));
        }
        let mut targets = Vec::new();
        for (host, services) in &change.stop {
            let (Some(spec), Some(host_id)) = (ssh.get(host), host_ids.get(host)) else { continue };
            let specs = services.iter().map(|service| ServiceSpec::new(unit_name(service, host_id), "true")).collect();
            targets.push((spec.clone(), specs));
        }
        if !targets.is_empty() {
            let stopped: Vec<String> = change
                .stop
                .iter()
                .flat_map(|(host, services)| services.iter().map(move |s| format!("{host}/{s}")))
                .collect();
            let failures = deploy::stop_services(&self.pool, targets, true).await;
            if !failures.is_empty() {
                return Err(ProviderError::new(format!(
                    "stopping the services removed from `services` failed:\n  {}",
                    failures.join("\n  ")
                )));
            }
            ctx.status(format!("removed {}", stopped.join(", ")));
        }
        for (host, paths) in &change.remove {
            let Some(spec) = ssh.get(host) else { continue };
            let quoted: Vec<String> = paths.iter().map(|path| shell_quote(path)).collect();
            let command = format!("rm -rf -- {}", quoted.join(" "));
            let output = deploy::on_host(&self.pool, spec, move |connection| {
                connection.run(&command, &ExecOptions::with_timeout(Duration::from_secs(60)))
            })
            .await
            .map_err(|error| ProviderError::new(error.to_string()))?;
            if !output.success() {
                return Err(ProviderError::new(format!(
                    "removing the files of removed components on {host} failed ({}): {}",
                    output.status(),
                    output.stderr_text().trim()
                )));
            }
        }
        Ok(())
    }
}

/// Every service name of the catalog's installable releases (for cleaning up launchers).
pub(crate) fn all_services() -> Vec<&'static str> {
    let releases = strata_release::Catalog::builtin().list().iter().filter(|release| release.installable);
    releases.flat_map(|release| release.services().map(|service| service.name.as_str())).collect()
}

/// The nodes running the release's service `name`.
pub fn release_nodes<'t>(topology: &'t Topology, name: &str) -> Vec<&'t crate::topology::Node> {
    topology.release.service(name).map(|service| topology.nodes_running(service)).unwrap_or_default()
}

/// How to log in to a node the state records.
pub(crate) fn host_ssh(host: &ClusterHost, key: &str) -> Result<HostSpec, ProviderError> {
    deploy::ssh_spec(&host.name, &host.ip, strata_provider_local::SSH_PORT, &host.ssh_host_key_fingerprint, key)
}

#[async_trait]
impl Resource for ClusterResource {
    type Model = Cluster;
    const TYPE_NAME: &'static str = EMR_CLUSTER;

    async fn plan(&self, ctx: &Ctx, plan: &mut Plan<Cluster>) -> Result<(), ProviderError> {
        crate::cluster_plan::plan(ctx, plan).await
    }

    async fn create(&self, ctx: &Ctx, planned: Cluster) -> Result<Cluster, ProviderError> {
        if ctx.idempotency_token().is_empty() {
            return Err(ProviderError::new("an emr_cluster create needs the engine's idempotency token"));
        }
        let id = machine::cluster_id(ctx.idempotency_token());
        let error = match self.converge(ctx, id.clone(), planned, None).await {
            Ok(cluster) => return Ok(cluster),
            Err(error) if error.outcome_unknown => return Err(error),
            Err(error) => error,
        };
        // A cluster that did not come up is not kept half made: its hosts go, and the error
        // (with the end of the failing service's log) says why.
        ctx.status("rolling back: removing the cluster's hosts");
        let settings = settings(ctx)?;
        let removed = blocking(move || {
            record::remove(&settings.state_dir, &id)?;
            cluster_metastore::remove(&settings.state_dir, &id)?;
            match machine::open_existing(&settings, &id)? {
                Some(network) => machine::remove_network(network, &all_services(), &settings.shared_dir(&id)),
                None => Ok(()),
            }
        })
        .await
        .and_then(|result| result);
        match removed {
            Ok(()) => Err(ProviderError {
                message: format!("{}\nThe cluster's hosts and network were removed.", error.message),
                ..error
            }),
            Err(cleanup) => Err(ProviderError::outcome_unknown(format!(
                "{}\nRemoving the cluster's hosts failed too ({}): the next plan finds what is left.",
                error.message, cleanup.message
            ))),
        }
    }

    async fn read(&self, ctx: &Ctx, current: Cluster) -> Result<Option<Cluster>, ProviderError> {
        cluster_refresh::read(&self.pool, ctx, current).await
    }

    async fn update(&self, ctx: &Ctx, prior: Cluster, planned: Cluster) -> Result<Cluster, ProviderError> {
        let id = prior.id.clone().ok_or_else(|| ProviderError::new("the prior state of the cluster has no id"))?;
        self.converge(ctx, id, planned, Some(&prior)).await
    }

    async fn delete(&self, ctx: &Ctx, prior: Cluster) -> Result<(), ProviderError> {
        let Some(id) = prior.id.clone() else { return Ok(()) };
        let settings = settings(ctx)?;
        let settings_dir = settings.state_dir.clone();
        let shared_dir = settings.shared_dir(&id);
        let open_id = id.clone();
        let Some(network) = blocking(move || machine::open_existing(&settings, &open_id)).await?? else {
            return Ok(());
        };
        let key = machine::client_key(&network);
        if let Ok(topology) = topology_of(&prior) {
            // Graceful: services stop in reverse start order, wave by wave across the cluster.
            for wave in topology.waves.iter().rev() {
                let mut targets = Vec::new();
                for host in prior.hosts.iter().flatten() {
                    let Some(node) = topology.node(&host.name) else { continue };
                    let specs: Vec<ServiceSpec> = wave
                        .iter()
                        .filter(|service| topology.runs(node, service))
                        .map(|service| ServiceSpec::new(unit_name(&service.name, &host.id), "true"))
                        .collect();
                    if specs.is_empty() {
                        continue;
                    }
                    targets.push((host_ssh(host, &key)?, specs));
                }
                let names: Vec<&str> = wave.iter().map(|service| service.name.as_str()).collect();
                for failure in deploy::stop_services(&self.pool, targets, true).await {
                    ctx.log().warn(&format!("stopping {names:?}: {failure} (the host is destroyed anyway)"));
                }
                ctx.status(format!("{} stopped", names.join(", ")));
            }
        }
        for host in prior.hosts.iter().flatten() {
            self.pool.close(&host.name);
        }
        let state_dir = settings_dir;
        blocking(move || {
            record::remove(&state_dir, &id)?;
            cluster_metastore::remove(&state_dir, &id)?;
            machine::remove_network(network, &all_services(), &shared_dir)
        })
        .await??;
        ctx.status("hosts, network and bridge removed");
        Ok(())
    }

    async fn find_by_token(&self, ctx: &Ctx, mut planned: Cluster) -> Result<Option<Cluster>, ProviderError> {
        let id = machine::cluster_id(ctx.idempotency_token());
        let settings = settings(ctx)?;
        let topology = topology_of(&planned)?;
        let open_id = id.clone();
        let found = blocking(move || {
            let Some(network) = machine::open_existing(&settings, &open_id)? else { return Ok(None) };
            let mut hosts = Vec::new();
            for node in &topology.nodes {
                let host_id = machine::host_id(&open_id, &node.hostname);
                if let Some(info) = network.host(&host_id).map_err(|error| ProviderError::new(error.to_string()))? {
                    hosts.push(ClusterHost {
                        name: node.hostname.clone(),
                        ip: info.ip.to_string(),
                        role: node.role.to_string(),
                        node_group: node.node_group.clone(),
                        id: info.id,
                        ssh_host_key_fingerprint: info.host_key_fingerprint,
                    });
                }
            }
            Ok::<_, ProviderError>(Some((network, hosts)))
        })
        .await??;
        let Some((network, hosts)) = found else { return Ok(None) };
        planned.id = Some(id);
        planned.ssh_private_key_path = Some(machine::client_key(&network));
        planned.hosts = Some(hosts);
        let (status, _, _) = cluster_refresh::observe(&self.pool, Arc::new(network), &planned, &[], None).await?;
        planned.status = Some(DEGRADED.to_string());
        planned.services_status = Some(status);
        Ok(Some(planned))
    }
}
